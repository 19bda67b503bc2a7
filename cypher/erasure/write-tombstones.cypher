// Writes the tombstones of an erasure (in its exactly-once write-back transaction): one
// Tombstone per erased source row, id `<fileId>:<row>`. A row erased before keeps its first
// tombstone (requestId = the request that erased it first). `saltId` is the fingerprint of the
// salt of `keyHash` and `subjectHash` (absent without either).
// Parameters: $requestId, $saltId (salt fingerprint), $tombstones (list of maps: id, fileId, row,
// table, keyColumn, keyHash, subjectName, subjectHash).
UNWIND $tombstones AS t
MERGE (n:Tombstone {id: t.id})
  ON CREATE SET n.fileId = t.fileId, n.row = t.row, n.table = t.table, n.keyColumn = t.keyColumn,
    n.keyHash = t.keyHash, n.subjectName = t.subjectName, n.subjectHash = t.subjectHash,
    n.saltId = CASE WHEN t.keyHash IS NULL AND t.subjectHash IS NULL THEN null ELSE $saltId END,
    n.requestId = $requestId, n.at = datetime()
RETURN count(n) AS tombstones
