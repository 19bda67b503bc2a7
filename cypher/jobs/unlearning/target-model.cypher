// Unlearning: "Which model does the request update?" The model by id with its kind, status,
// parameters' sha256 and TRAINED_ON run, and, when it is superseded, the active version that
// descends from it along SUPERSEDES (`head`, the one the request then updates).
// Parameters: $id (Model id).
MATCH (m:Model {id: $id})
OPTIONAL MATCH (m)-[:TRAINED_ON]->(run:Run)
OPTIONAL MATCH (head:Model {status: 'active'})-[:SUPERSEDES*1..]->(m)
RETURN m.id AS id, m.version AS version, m.kind AS kind, m.status AS status, m.paramsSha256 AS sha, run.id AS runId,
       head.id AS head
