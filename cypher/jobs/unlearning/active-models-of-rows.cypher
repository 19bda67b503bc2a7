// Unlearning: "Which active models were trained on a run with samples derived from these source
// rows?" A request without `--model` updates the one such model (none or several is an error).
// Parameters: $rowIds (list of SourceRow ids).
UNWIND $rowIds AS rid
MATCH (:SourceRow {id: rid})<-[:DERIVED_FROM]-(:Sample)-[:OUTPUT_OF]->(run:Run)<-[:TRAINED_ON]-(m:Model {status: 'active'})
RETURN DISTINCT m.id AS id
ORDER BY id
