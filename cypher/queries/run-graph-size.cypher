// Auditor: "How much lineage did this run record?" — the nodes and relationships of one run: the
// Run, its Ops (HAS_OP, AFTER between them, READ to the files they load), its Pipeline (USES), its
// Samples (OUTPUT_OF) with their DERIVED_FROM edges, and the SourceFiles it read with their
// SourceRows (IN_FILE). Files and rows are shared by the runs that read the same file: each run
// counts them. No row when there is no such run.
// Parameters: $runId.
MATCH (run:Run {id: $runId})
CALL (run) {
  OPTIONAL MATCH (run)-[:HAS_OP]->(:Op)-[:READ]->(f:SourceFile)
  WITH DISTINCT f
  RETURN count(f) AS files, sum(COUNT { (:SourceRow)-[:IN_FILE]->(f) }) AS sourceRows
}
WITH run, files, sourceRows,
  COUNT { (run)-[:HAS_OP]->(:Op) } AS ops,
  COUNT { (run)-[:HAS_OP]->(:Op)-[:AFTER]->(:Op) } AS after,
  COUNT { (run)-[:HAS_OP]->(:Op)-[:READ]->(:SourceFile) } AS reads,
  COUNT { (run)-[:USES]->(:Pipeline) } AS pipelines,
  COUNT { (:Sample)-[:OUTPUT_OF]->(run) } AS samples,
  COUNT { (run)<-[:OUTPUT_OF]-(:Sample)-[:DERIVED_FROM]->(:SourceRow) } AS derivedFrom
RETURN run.id AS runId, ops, pipelines, samples, files, sourceRows, after, reads, derivedFrom,
  1 + ops + pipelines + samples + files + sourceRows AS nodes,
  ops + after + reads + pipelines + samples + derivedFrom + sourceRows AS relationships
