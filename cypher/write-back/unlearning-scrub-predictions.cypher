// Unlearning write-back, step 4b (one batch of affected samples): the predictions that score an
// affected sample (on every model line of the run) lose their attribution edges (INFLUENCED_BY
// and SOURCE_SHARE: explanations of a score computed on the erased data); those that had any get
// `attributionScrubbedBy` (a prediction never attributed lost nothing, so it is neither marked nor
// counted, and `--reattribute` does not explain it). The score itself stays: it is the record of a
// decision already made.
// Parameters: $id (request id), $sampleIds (list of Sample ids).
UNWIND $sampleIds AS sid
MATCH (p:Prediction)-[:FOR]->(:Sample {id: sid})
MATCH (p)-[r:INFLUENCED_BY|SOURCE_SHARE]->()
WITH p, collect(r) AS edges
FOREACH (r IN edges | DELETE r)
SET p.attributionScrubbedBy = $id
RETURN count(p) AS predictions, sum(size(edges)) AS edges
