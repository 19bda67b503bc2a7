// Workbench: "How was this run's model matrix made?" — the run's lineage DAG collapsed per file:
// its ops (by seq, at most $maxOps, each with the ops whose output it consumes in input order,
// the file a load op read, its declared step and its column lineage `columns`, JSON), the files
// it read (per file: rows, erased rows by their tombstones, and how many of its rows and of the
// run's samples the row provenance links: recorded on the Run by its ingest, counted for older
// runs), the samples per split (likewise), and the run's feature → source
// column lineage (`featureColumns`, JSON). No record when there is no such run.
// Parameters: $runId, $maxOps (integer, ops returned).
MATCH (run:Run {id: $runId})
CALL (run) {
  OPTIONAL MATCH (run)-[:HAS_OP]->(op:Op)
  WITH op ORDER BY op.seq LIMIT $maxOps
  CALL (op) {
    OPTIONAL MATCH (op)-[after:AFTER]->(input:Op)
    WITH input ORDER BY after.position
    RETURN collect(input.id) AS inputs
  }
  OPTIONAL MATCH (op)-[:READ]->(f:SourceFile)
  WITH op, inputs, f ORDER BY op.seq
  RETURN collect(CASE WHEN op IS NULL THEN null ELSE {id: op.id, seq: op.seq, kind: op.kind, name: op.name, step: op.step,
    columns: op.columns, inputs: inputs, fileId: f.id} END) AS ops
}
CALL (run) {
  OPTIONAL MATCH (run)-[:HAS_OP]->(:Op)-[:READ]->(f:SourceFile)
  WITH DISTINCT f
  // Recorded by the ingest (parallel lists on the Run); counted only for runs written before.
  WITH f, [i IN range(0, size(coalesce(run.provenanceFileIds, [])) - 1) WHERE run.provenanceFileIds[i] = f.id][0] AS k
  CALL (run, f, k) {
    WITH run, f WHERE k IS NULL
    OPTIONAL MATCH (run)<-[:OUTPUT_OF]-(s:Sample)-[:DERIVED_FROM]->(r:SourceRow)-[:IN_FILE]->(f)
    RETURN count(DISTINCT r) AS countedRows, count(DISTINCT s) AS countedSamples
  }
  WITH f, coalesce(run.provenanceFileRowsUsed[k], countedRows) AS rowsUsed,
    coalesce(run.provenanceFileSamples[k], countedSamples) AS samples
  ORDER BY f.table, f.name
  RETURN collect(CASE WHEN f IS NULL THEN null ELSE f {.id, .name, .table, .rows, .keyColumn, rowsUsed: rowsUsed,
    samples: samples, erasedRows: COUNT { (:Tombstone {fileId: f.id}) }} END) AS files
}
CALL (run) {
  WITH run WHERE run.trainSamples IS NULL
  OPTIONAL MATCH (run)<-[:OUTPUT_OF]-(s:Sample)
  RETURN {trainSamples: count(CASE WHEN s.split = 'train' THEN 1 END),
    testSamples: count(CASE WHEN s.split = 'test' THEN 1 END)} AS counted
}
RETURN run {.id, .pipeline, .mode, .status, .featureColumns} AS run, ops, files,
  COUNT { (run)-[:HAS_OP]->(:Op) } AS opCount,
  coalesce(run.trainSamples, counted.trainSamples) AS trainSamples,
  coalesce(run.testSamples, counted.testSamples) AS testSamples
