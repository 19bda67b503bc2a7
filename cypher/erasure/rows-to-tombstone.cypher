// What the tombstones of source rows about to be erased keep (read in the erasure's write-back
// transaction, before the rows lose their data): file, row, table, key column and the business
// key, the subject name and the row's subject id (both hashed with the deployment's salt in the
// caller; neither is ever stored), and whether the row has a tombstone already (erased by an
// earlier request) with what that tombstone keeps (its salted hashes and salt fingerprint: the
// erasure statement names every erased row by them).
// Parameters: $rowIds (SourceRow ids, `<fileId>:<row>`).
UNWIND $rowIds AS rid
MATCH (r:SourceRow {id: rid})-[:IN_FILE]->(f:SourceFile)
OPTIONAL MATCH (t:Tombstone {id: rid})
RETURN r.id AS id, f.id AS fileId, r.row AS row, f.table AS table, f.keyColumn AS keyColumn, r.key AS key,
  f.subjectName AS subjectName, r.subject AS subject, t IS NOT NULL AS tombstoned,
  t.keyHash AS tombstoneKeyHash, t.subjectHash AS tombstoneSubjectHash, t.saltId AS tombstoneSaltId
