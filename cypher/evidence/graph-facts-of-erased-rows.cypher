// What `verify graph` compares with the rows an `erasure` statement names: per row, whether the
// SourceRow is there, its property keys (a skeleton has exactly id, row, erased, erasedAt,
// erasedBy), its file and row number, whether the request TARGETS it, and its Tombstone's salted
// hashes. Never a row's values.
// Parameters: $rows (list of maps: requestId, id (SourceRow id)).
UNWIND $rows AS want
OPTIONAL MATCH (r:SourceRow {id: want.id})
OPTIONAL MATCH (r)-[:IN_FILE]->(f:SourceFile)
OPTIONAL MATCH (t:Tombstone {id: want.id})
RETURN want.requestId AS requestId, want.id AS id, r IS NOT NULL AS found,
  CASE WHEN r IS NULL THEN null ELSE keys(r) END AS keys, r.erased AS erased, r.row AS row, f.id AS fileId,
  r IS NOT NULL AND EXISTS { (:UnlearningRequest {id: want.requestId})-[:TARGETS]->(r) } AS targeted,
  t IS NOT NULL AS tombstoned, t.keyHash AS keyHash, t.subjectHash AS subjectHash, t.saltId AS saltId
