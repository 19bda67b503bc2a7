// Workbench search box: "What in the graph is called $q?" — $q as a business key (a SourceRow's
// `key`, a Sample's `key`, and the predictions of the samples with that key), a data subject id
// (SourceRow `subject`), an id (SourceRow, Sample, Prediction, Run, Model, UnlearningRequest), or a
// row of a file written `<file name>:<row>` ($fileName, $row). Erased rows keep neither key nor
// subject, so they are found by id only. One record per kind of hit (`rank`: the order to show
// them in), each with at most $limit hits, in a stable order.
// Parameters: $q (the text searched, as given), $fileName (file name part of `<file>:<row>`, or
// null), $row (row number of it, integer, or null), $limit (integer, hits per kind).
CALL () {
  MATCH (p:Prediction {id: $q})-[:BY]->(m:Model)
  OPTIONAL MATCH (p)-[:FOR]->(s:Sample)
  RETURN 0 AS rank, collect({kind: 'prediction', id: p.id, modelId: m.id, modelVersion: m.version, modelStatus: m.status,
    sampleId: s.id, key: s.key, score: p.score}) AS hits
  UNION ALL
  MATCH (s:Sample {id: $q})-[:OUTPUT_OF]->(run:Run)
  RETURN 0 AS rank, collect({kind: 'sample', id: s.id, runId: run.id, split: s.split, key: s.key}) AS hits
  UNION ALL
  MATCH (r:SourceRow {id: $q})-[:IN_FILE]->(f:SourceFile)
  RETURN 0 AS rank, collect({kind: 'source-row', id: r.id, file: f.name, table: f.table, row: r.row, key: r.key,
    keyColumn: f.keyColumn, erased: coalesce(r.erased, false)}) AS hits
  UNION ALL
  MATCH (f:SourceFile {name: $fileName})
  MATCH (r:SourceRow {id: f.id + ':' + toString($row)})
  WITH r, f ORDER BY f.id LIMIT $limit
  RETURN 0 AS rank, collect({kind: 'source-row', id: r.id, file: f.name, table: f.table, row: r.row, key: r.key,
    keyColumn: f.keyColumn, erased: coalesce(r.erased, false)}) AS hits
  UNION ALL
  MATCH (run:Run {id: $q})
  RETURN 0 AS rank, collect({kind: 'run', id: run.id, pipeline: run.pipeline, status: run.status}) AS hits
  UNION ALL
  MATCH (m:Model {id: $q})
  RETURN 0 AS rank, collect({kind: 'model', id: m.id, modelVersion: m.version, modelStatus: m.status}) AS hits
  UNION ALL
  MATCH (u:UnlearningRequest {id: $q})
  RETURN 0 AS rank, collect({kind: 'erasure', id: u.id, status: u.status, mode: u.mode}) AS hits
  UNION ALL
  MATCH (s:Sample {key: $q})<-[:FOR]-(p:Prediction)-[:BY]->(m:Model)
  WITH p, s, m ORDER BY CASE m.status WHEN 'active' THEN 0 ELSE 1 END, m.version DESC, p.id LIMIT $limit
  RETURN 1 AS rank, collect({kind: 'prediction', id: p.id, modelId: m.id, modelVersion: m.version, modelStatus: m.status,
    sampleId: s.id, key: s.key, score: p.score}) AS hits
  UNION ALL
  MATCH (s:Sample {key: $q})-[:OUTPUT_OF]->(run:Run)
  WITH s, run ORDER BY run.startedAt DESC, s.id LIMIT $limit
  RETURN 2 AS rank, collect({kind: 'sample', id: s.id, runId: run.id, split: s.split, key: s.key}) AS hits
  UNION ALL
  MATCH (r:SourceRow {key: $q})-[:IN_FILE]->(f:SourceFile)
  WITH r, f ORDER BY f.name, r.row LIMIT $limit
  RETURN 3 AS rank, collect({kind: 'source-row', id: r.id, file: f.name, table: f.table, row: r.row, key: r.key,
    keyColumn: f.keyColumn, erased: coalesce(r.erased, false)}) AS hits
  UNION ALL
  MATCH (r:SourceRow {subject: $q})-[:IN_FILE]->(f:SourceFile)
  WHERE r.key IS NULL OR r.key <> $q
  WITH r, f ORDER BY f.name, r.row LIMIT $limit
  RETURN 4 AS rank, collect({kind: 'source-row', id: r.id, file: f.name, table: f.table, row: r.row, key: r.key,
    keyColumn: f.keyColumn, subjectName: f.subjectName, erased: coalesce(r.erased, false)}) AS hits
}
WITH rank, hits WHERE size(hits) > 0
RETURN rank, hits
ORDER BY rank
