// Auditor: "Which source files fed this model, and how many of their rows reached its training
// samples?" Follows Model-[:TRAINED_ON]->Run-[:HAS_OP]->Op-[:READ]->SourceFile for the files, and
// Run<-[:OUTPUT_OF]-Sample{split:'train'}-[:DERIVED_FROM]->SourceRow-[:IN_FILE]->SourceFile for
// the rows (0 for op-mode runs, which keep no row provenance).
// Parameters: $modelId (Model id).
MATCH (m:Model {id: $modelId})-[:TRAINED_ON]->(run:Run)
MATCH (run)-[:HAS_OP]->(:Op)-[:READ]->(f:SourceFile)
WITH DISTINCT m, run, f
CALL (run, f) {
  OPTIONAL MATCH (run)<-[:OUTPUT_OF]-(s:Sample)-[:DERIVED_FROM]->(r:SourceRow)-[:IN_FILE]->(f)
  WHERE s.split = 'train'
  RETURN count(DISTINCT r) AS rowsUsed
}
RETURN m.id AS modelId, run.id AS runId, run.mode AS mode, f.id AS fileId, f.name AS file, f.table AS table, f.path AS path,
  f.rows AS rows, rowsUsed
ORDER BY table
