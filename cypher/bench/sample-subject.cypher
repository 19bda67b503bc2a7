// Bench (scale): a sample's split and the data subject of its source rows (the applicant an
// erasure of one person names).
// Parameters: $sampleId (Sample id).
MATCH (s:Sample {id: $sampleId})-[:DERIVED_FROM]->(r:SourceRow)
WHERE r.subject IS NOT NULL
RETURN s.split AS split, r.subject AS subject
LIMIT 1
