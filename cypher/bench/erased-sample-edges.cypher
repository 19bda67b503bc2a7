// Bench (erasure completeness): attribution edges still pointing at samples the fixture's
// requests affected (dropped or re-derived).
// Parameters: $requestPrefix (the fixture's request id prefix).
MATCH (u:UnlearningRequest) WHERE u.id STARTS WITH $requestPrefix
OPTIONAL MATCH (u)-[:AFFECTED]->(s:Sample)
WITH collect(DISTINCT s) AS affected
RETURN
  COUNT { MATCH (:Prediction)-[i:INFLUENCED_BY]->(s) WHERE s IN affected } AS influences,
  COUNT { MATCH (p:Prediction)-[:FOR]->(s) WHERE s IN affected AND s.erased MATCH (p)-[:SOURCE_SHARE]->() } AS shares
