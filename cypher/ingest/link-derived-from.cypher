// Row provenance: creates (sample)-[:DERIVED_FROM]->(sourceRow) for a batch of pairs, given as
// parallel lists of internal node ids that this same ingest just wrote or looked up (ids are
// only reused after a delete, and a run's Samples and read SourceRows are not deleted while it
// runs). Returns the number of edges created and how many of them point to an erased SourceRow
// (the writer checks both: an edge to an erased row fails the batch, so no new sample is ever
// derived from erased data, whoever built the run).
// Parameters: $samples, $rows (numbers, parallel lists).
UNWIND range(0, size($samples) - 1) AS j
MATCH (s:Sample) WHERE id(s) = toInteger($samples[j])
MATCH (r:SourceRow) WHERE id(r) = toInteger($rows[j])
CREATE (s)-[:DERIVED_FROM]->(r)
RETURN count(*) AS edges, count(CASE WHEN r.erased THEN 1 END) AS erased
