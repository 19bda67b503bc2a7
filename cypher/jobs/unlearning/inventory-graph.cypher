// Erasure inventory, graph part: "What does the graph still hold of this request's rows?" The
// request's status and recorded target; its targeted rows and how many still hold more than the
// content-free skeleton (id, row, erased, erasedAt, erasedBy); its tombstones; its affected samples,
// how many of the dropped ones still hold a key or label, how many were re-derived; attribution
// edges that still point at an affected sample; the runs the samples belong to; the files of the
// rows (id = content sha256, path).
// Parameters: $id (UnlearningRequest id).
MATCH (u:UnlearningRequest {id: $id})
CALL (u) {
  OPTIONAL MATCH (u)-[:TARGETS]->(r:SourceRow)
  RETURN count(r) AS rows,
         count(CASE WHEN r IS NOT NULL AND any(k IN keys(r) WHERE NOT k IN ['id', 'row', 'erased', 'erasedAt', 'erasedBy']) THEN 1 END) AS rowsWithContent
}
CALL (u) {
  OPTIONAL MATCH (t:Tombstone {requestId: u.id})
  RETURN count(t) AS tombstones
}
CALL (u) {
  OPTIONAL MATCH (u)-[:AFFECTED]->(s:Sample)
  RETURN count(s) AS samples,
         count(CASE WHEN s.erased AND (s.key IS NOT NULL OR s.label IS NOT NULL) THEN 1 END) AS droppedWithContent,
         count(CASE WHEN s.rederivedBy = u.id THEN 1 END) AS rederived,
         collect(DISTINCT [(s)-[:OUTPUT_OF]->(run:Run) | run.id][0]) AS runIds,
         collect(CASE WHEN s.erased THEN s.id END) AS droppedSampleIds
}
CALL (u) {
  OPTIONAL MATCH (u)-[:AFFECTED]->(:Sample)<-[i:INFLUENCED_BY]-(:Prediction)
  RETURN count(i) AS influences
}
CALL (u) {
  OPTIONAL MATCH (u)-[:TARGETS]->(:SourceRow)-[:IN_FILE]->(f:SourceFile)
  WITH f, count(*) AS n WHERE f IS NOT NULL
  RETURN collect({id: f.id, name: f.name, path: f.path, rows: n}) AS files
}
RETURN u.status AS status, u.target AS target, rows, rowsWithContent, tombstones, samples, droppedWithContent,
       rederived, runIds, droppedSampleIds, influences, files
