// Statements that may be about one model although their ref is not one of its ids (`traceprop export
// evidence` keeps those whose predicate names the model): the `erasure` statements of the requests
// whose lines started from the model or made it (ref `<requestId>#<line>`), and the `attribution`
// statements (ref: the job id; the predicate's modelId names the model), each with its log entry's
// envelope. Reads every Statement once (no index on kind).
// Parameters: $modelId.
MATCH (m:Model {id: $modelId})
OPTIONAL MATCH (u:UnlearningRequest)
  WHERE $modelId IN coalesce(u.previousModelIds, []) OR $modelId IN coalesce(u.modelIds, [])
     OR u.previousModelId = $modelId OR EXISTS { (u)-[:PRODUCED]->(m) }
WITH collect(DISTINCT u.id) AS requestIds
MATCH (st:Statement)
  WHERE st.kind = 'attribution'
     OR (st.kind = 'erasure' AND any(rid IN requestIds WHERE st.ref STARTS WITH rid + '#'))
OPTIONAL MATCH (e:LogEntry {index: st.logIndex})
RETURN st.id AS id, st.kind AS kind, st.ref AS ref, st.logIndex AS logIndex, e.envelope AS envelope
ORDER BY st.logIndex
