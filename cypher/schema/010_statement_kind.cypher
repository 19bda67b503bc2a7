// Statement listings that filter by kind (`candidate-statements-of-model.cypher`: the attribution
// and erasure statements an evidence bundle may hold; the workbench's statement listing) seek this
// range index instead of reading every Statement (docs/graph-schema.md).
// Parameters: none.
CREATE INDEX statement_kind IF NOT EXISTS FOR (s:Statement) ON (s.kind);
