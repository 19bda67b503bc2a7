// Report: "How many samples of this run are in each split, with each label?" — Sample counts by
// split and label; samples an erasure dropped (`erased`, their label removed) are counted apart.
// Parameters: $runId (Run id).
MATCH (s:Sample)-[:OUTPUT_OF]->(:Run {id: $runId})
RETURN s.split AS split, s.label AS label, coalesce(s.erased, false) AS erased, count(*) AS samples
ORDER BY split, erased, label
