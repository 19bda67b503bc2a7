// Report: "Which signed statements of the transparency log are about these things?" — every
// Statement whose `ref` is one of the given ids (a run, model versions, an erasure request), with
// its log index and when its entry was logged, in log order.
// Parameters: $refs (list of ids).
MATCH (s:Statement) WHERE s.ref IN $refs
OPTIONAL MATCH (s)-[:LOGGED_AS]->(e:LogEntry)
RETURN s.id AS id, s.kind AS kind, s.ref AS ref, s.logIndex AS logIndex, toString(e.at) AS at
ORDER BY s.logIndex
