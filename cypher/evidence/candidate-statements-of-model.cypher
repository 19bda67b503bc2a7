// Statements that may be about one model although their ref is not one of its ids (`traceprop export
// evidence` keeps those whose predicate names the model): the `erasure` statements of the requests
// whose lines started from the model or made it (ref `<requestId>#<line>`), and the `attribution`
// statements (ref: the job id; the predicate's modelId names the model), each with its log entry's
// envelope. Each branch seeks the Statement.kind index (010_statement_kind.cypher).
// Parameters: $modelId.
MATCH (m:Model {id: $modelId})
OPTIONAL MATCH (u:UnlearningRequest)
  WHERE $modelId IN coalesce(u.previousModelIds, []) OR $modelId IN coalesce(u.modelIds, [])
     OR u.previousModelId = $modelId OR EXISTS { (u)-[:PRODUCED]->(m) }
WITH collect(DISTINCT u.id) AS requestIds
CALL (requestIds) {
  MATCH (st:Statement {kind: 'attribution'})
  RETURN st
  UNION
  MATCH (st:Statement {kind: 'erasure'})
    WHERE any(rid IN requestIds WHERE st.ref STARTS WITH rid + '#')
  RETURN st
}
OPTIONAL MATCH (e:LogEntry {index: st.logIndex})
RETURN st.id AS id, st.kind AS kind, st.ref AS ref, st.logIndex AS logIndex, e.envelope AS envelope
ORDER BY st.logIndex
