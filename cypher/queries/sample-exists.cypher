// Does a Sample with this id exist, and in which run (and mode)? Used to tell "no such sample"
// from "a sample without row provenance".
// Parameters: $sampleId.
MATCH (s:Sample {id: $sampleId})-[:OUTPUT_OF]->(run:Run)
RETURN s.id AS sampleId, run.id AS runId, run.mode AS mode
