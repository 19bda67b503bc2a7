// Workbench: "Which refs name the signed statements about this model, run or erasure?" — for a
// model its own id and the run it was TRAINED_ON (exact refs) and, for each erasure request that
// PRODUCED it, `<requestId>#` (erasure statements are about `<requestId>#<model line>`); for a
// run its id; for an erasure request its id and `<requestId>#`. `found` is false when nothing of
// that kind has the id.
// Parameters: $kind ('model', 'run' or 'erasure'), $id.
OPTIONAL MATCH (m:Model {id: $id}) WHERE $kind = 'model'
OPTIONAL MATCH (m)-[:TRAINED_ON]->(run:Run)
OPTIONAL MATCH (u:UnlearningRequest)-[:PRODUCED]->(m)
WITH m, collect(DISTINCT run.id) AS runIds, collect(DISTINCT u.id) AS requestIds
OPTIONAL MATCH (r:Run {id: $id}) WHERE $kind = 'run'
OPTIONAL MATCH (e:UnlearningRequest {id: $id}) WHERE $kind = 'erasure'
RETURN m IS NOT NULL OR r IS NOT NULL OR e IS NOT NULL AS found,
       CASE $kind WHEN 'model' THEN [$id] + runIds ELSE [$id] END AS refs,
       CASE $kind
         WHEN 'model' THEN [rid IN requestIds | rid + '#']
         WHEN 'erasure' THEN [$id + '#']
         ELSE []
       END AS prefixes
