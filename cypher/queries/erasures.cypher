// Auditor: "Which erasures were made, which source rows did each erase, and which active models
// still hold any of those rows?" One record per completed unlearning request that erased rows.
// A model holds an erased row when it is active, trained on a run with a training sample derived
// from the row, and that sample was not dropped or re-derived for it: neither by a request that
// produced a version of the model's line, nor before a fresh training of the line (a model
// trained on the run after the erasure leaves the sample out). An active model on an op-mode run
// (no row provenance) that read an erased row's file before the erasure is listed `via: 'file'`.
// Such a model of another line stays listed until it is unlearned (or superseded).
// Parameters: $requestId (an UnlearningRequest id, or null for every request).
MATCH (u:UnlearningRequest {status: 'complete'})-[:TARGETS]->(r:SourceRow)-[:IN_FILE]->(f:SourceFile)
WHERE $requestId IS NULL OR u.id = $requestId
WITH u, collect({rowId: r.id, fileId: f.id, file: f.name, table: f.table, row: r.row}) AS rows, collect(r) AS erased
CALL (u, erased) {
  CALL (u, erased) {
    UNWIND erased AS r
    MATCH (r)<-[:DERIVED_FROM]-(s:Sample {split: 'train'})-[:OUTPUT_OF]->(run:Run)<-[:TRAINED_ON]-(m:Model {status: 'active'})
    WHERE NOT EXISTS {
      MATCH (x:UnlearningRequest {status: 'complete'})-[:AFFECTED]->(s)
      MATCH (m)-[:SUPERSEDES*0..]->(v:Model)
      WHERE (x)-[:PRODUCED]->(v)
        OR (v.trainedAt >= x.completedAt AND NOT EXISTS { (:UnlearningRequest)-[:PRODUCED]->(v) })
    }
    RETURN m, run, 'row' AS via, count(DISTINCT s) AS samples, collect(DISTINCT r.row) AS heldRows
    UNION
    UNWIND erased AS r
    MATCH (r)-[:IN_FILE]->(:SourceFile)<-[:READ]-(:Op)<-[:HAS_OP]-(run:Run {mode: 'op'})<-[:TRAINED_ON]-(m:Model {status: 'active'})
    WHERE datetime(run.ingestStartedAt) < u.completedAt
    RETURN m, run, 'file' AS via, 0 AS samples, collect(DISTINCT r.row) AS heldRows
  }
  RETURN collect({modelId: m.id, version: m.version, runId: run.id, via: via, samples: samples, rows: size(heldRows)}) AS models
}
RETURN u.id AS requestId, u.mode AS mode, toString(u.completedAt) AS completedAt, size(rows) AS rowCount, rows, models
ORDER BY u.completedAt, requestId
