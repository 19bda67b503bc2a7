// Workbench: "Which signed statements are about these refs?" — every Statement whose `ref` is one
// of $refs or starts with one of $prefixes (seeks of the Statement.ref index), with its log index
// and when its entry was logged, in log order.
// Parameters: $refs (list of exact refs), $prefixes (list of ref prefixes).
CALL () {
  UNWIND $refs AS ref
  MATCH (s:Statement {ref: ref})
  RETURN s
  UNION
  UNWIND $prefixes AS prefix
  MATCH (s:Statement) WHERE s.ref STARTS WITH prefix
  RETURN s
}
OPTIONAL MATCH (s)-[:LOGGED_AS]->(e:LogEntry)
RETURN s.id AS id, s.kind AS kind, s.ref AS ref, s.logIndex AS logIndex, toString(e.at) AS at
ORDER BY s.logIndex
