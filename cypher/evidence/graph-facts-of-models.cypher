// What `verify graph` compares with the `model` statements: per model id, whether the Model is
// there, the parameter hash it carries, the run it was trained on, and whether its parameters
// were shredded by an erasure.
// Parameters: $modelIds (list of model ids).
UNWIND $modelIds AS id
OPTIONAL MATCH (m:Model {id: id})
OPTIONAL MATCH (m)-[:TRAINED_ON]->(run:Run)
RETURN id, m IS NOT NULL AS found, m.paramsSha256 AS paramsSha256, run.id AS runId,
  m.paramsShreddedBy IS NOT NULL AS shredded
