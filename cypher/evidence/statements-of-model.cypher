// The logged statements an evidence bundle of one model holds (`traceprop export evidence`): those
// recorded with the model's id as their ref (its `model` statement, attributions), with the id of
// the run it was TRAINED_ON (the `run` statement), with the id of an erasure request that PRODUCED
// it, and with the id of a published signing key (the `key` statements: the chain of keys), each
// with its log entry's envelope, in log order. No row when the model does not exist; rows with a
// null id for refs that nothing was logged about.
// Parameters: $modelId.
MATCH (m:Model {id: $modelId})
OPTIONAL MATCH (m)-[:TRAINED_ON]->(run:Run)
OPTIONAL MATCH (req:UnlearningRequest)-[:PRODUCED]->(m)
WITH m, collect(DISTINCT run.id) AS runIds, collect(DISTINCT req.id) AS requestIds
OPTIONAL MATCH (k:SigningKey)
WITH m, runIds, requestIds, collect(DISTINCT k.id) AS keyIds
UNWIND [m.id] + runIds + requestIds + keyIds AS ref
OPTIONAL MATCH (st:Statement {ref: ref})
OPTIONAL MATCH (e:LogEntry {index: st.logIndex})
RETURN ref, st.id AS id, st.kind AS kind, st.logIndex AS logIndex, e.envelope AS envelope
ORDER BY st.logIndex
