// OpenLineage: what an erasure request did, for its COMPLETE event: the model versions it
// started from and made (per updated line), the ids of the source rows it targets with their
// files (ids, names, paths: never a key or any content) and, per row, the salted HMAC hashes its
// Tombstone keeps of the row's business key and data subject (`rows`), its certificate and status, and the
// signed `erasure` statements of its lines (ref `<requestId>#<line>`), in log order. No record
// when there is no such request.
// Parameters: $requestId (UnlearningRequest id).
MATCH (u:UnlearningRequest {id: $requestId})
CALL (u) {
  OPTIONAL MATCH (u)-[:TARGETS]->(r:SourceRow)-[:IN_FILE]->(f:SourceFile)
  OPTIONAL MATCH (t:Tombstone {id: r.id})
  WITH r, f, t ORDER BY f.id, r.row
  RETURN collect(r.id) AS rowIds, collect(DISTINCT f {.id, .name, .path}) AS files,
    collect(CASE WHEN r IS NULL THEN null ELSE {id: r.id, fileSha256: f.id, keyHash: t.keyHash, subjectHash: t.subjectHash} END) AS rows
}
CALL (u) {
  OPTIONAL MATCH (st:Statement) WHERE st.ref STARTS WITH $requestId + '#'
  WITH st ORDER BY st.logIndex
  RETURN collect(st {.id, .logIndex}) AS statements
}
RETURN u.status AS status, u.mode AS mode, u.certificate AS certificate,
  coalesce(u.previousModelIds, CASE WHEN u.previousModelId IS NULL THEN [] ELSE [u.previousModelId] END) AS previousModelIds,
  coalesce(u.modelIds, CASE WHEN u.modelId IS NULL THEN [] ELSE [u.modelId] END) AS modelIds,
  u.affectedSamples AS affectedSamples, rowIds, rows, files, statements
