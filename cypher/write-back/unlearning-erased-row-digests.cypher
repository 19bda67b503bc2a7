// Unlearning write-back, last step when signing: what the erasure statement names of each erased
// row (read in the same transaction, after the tombstones are written): its id, its file's content
// sha256 and row number, and the salted hashes its Tombstone keeps of its business key and data
// subject. Never the key, the subject id or any other row content.
// Parameters: $rowIds (SourceRow ids, `<fileId>:<row>`).
UNWIND $rowIds AS rid
MATCH (r:SourceRow {id: rid})-[:IN_FILE]->(f:SourceFile)
OPTIONAL MATCH (t:Tombstone {id: rid})
RETURN r.id AS id, f.id AS fileId, r.row AS row, t.keyHash AS keyHash, t.subjectHash AS subjectHash,
  t.saltId AS saltId
ORDER BY id
