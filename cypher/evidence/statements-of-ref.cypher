// The statements about one thing (a run id, a model id, a key id), in log order.
// Parameters: $ref.
MATCH (st:Statement {ref: $ref})
RETURN st.id AS id, st.kind AS kind, st.logIndex AS logIndex
ORDER BY st.logIndex
