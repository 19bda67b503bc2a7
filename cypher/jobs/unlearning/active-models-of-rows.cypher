// Unlearning: "Which active models were trained on a run with samples derived from these source
// rows?" A request without `--model` updates every such model line.
// Parameters: $rowIds (list of SourceRow ids).
// Planned from the rows outwards (index seek, then each hop on distinct nodes): right after a
// large ingest the planner's statistics can make it start from the active models and expand every
// sample of their runs once per row instead (minutes at 20k applicants).
UNWIND $rowIds AS rid
MATCH (r:SourceRow {id: rid})
USING INDEX r:SourceRow(id)
WITH DISTINCT r
MATCH (r)<-[:DERIVED_FROM]-(s:Sample)
WITH DISTINCT s
MATCH (s)-[:OUTPUT_OF]->(run:Run)
WITH DISTINCT run
MATCH (run)<-[:TRAINED_ON]-(m:Model {status: 'active'})
RETURN DISTINCT m.id AS id
ORDER BY id
