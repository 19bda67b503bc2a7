// Bench (serve): removes what the serve section wrote: the synthetic run's nodes (ids holding
// $tag), its attribution job's JobRun, the bench's auditor token and the access events of its calls.
// Parameters: $tag (the section's fixture tag), $tokenId (the bench token's id).
MATCH (n)
WHERE ((n:Prediction OR n:Sample OR n:Run OR n:Op OR n:Model OR n:SourceFile OR n:SourceRow) AND n.id CONTAINS $tag)
   OR (n:JobRun AND n.jobId CONTAINS $tag)
   OR (n:ApiToken AND n.id = $tokenId)
   OR (n:AccessEvent AND n.token = $tokenId)
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS
