// Unlearning write-back, step 4a (one batch of affected samples): on every model line of the run,
// deletes the INFLUENCED_BY edges that point at an affected sample and the SOURCE_SHARE edges of the
// predictions that had such an influence (their shares were computed with the erased data); those
// predictions get `attributionScrubbedBy` (the request id), so a re-attribution can find them.
// Parameters: $id (request id), $sampleIds (list of Sample ids).
UNWIND $sampleIds AS sid
MATCH (p:Prediction)-[i:INFLUENCED_BY]->(:Sample {id: sid})
WITH collect(DISTINCT p) AS predictions, collect(i) AS edges
FOREACH (i IN edges | DELETE i)
WITH predictions, size(edges) AS influences
UNWIND predictions AS p
OPTIONAL MATCH (p)-[share:SOURCE_SHARE]->(:SourceFile)
DELETE share
SET p.attributionScrubbedBy = $id
RETURN influences, count(DISTINCT p) AS predictions, count(share) AS shares
