// What `verify graph` compares with the `run` statements: per run id, whether the Run is there,
// its counts, and the rows of each source file it read (SourceFile ids are content sha256).
// Parameters: $runIds (list of run ids).
UNWIND $runIds AS id
OPTIONAL MATCH (run:Run {id: id})
OPTIONAL MATCH (run)-[:HAS_OP]->(:Op)-[:READ]->(f:SourceFile)
WITH id, run, collect(DISTINCT {id: f.id, rows: f.rows}) AS files
RETURN id, run IS NOT NULL AS found,
  CASE WHEN run IS NULL THEN null
       ELSE {files: run.files, ops: run.ops, sourceRows: run.sourceRows, samples: run.samples,
             provenanceEdges: run.provenanceEdges} END AS counts,
  [f IN files WHERE f.id IS NOT NULL] AS files
