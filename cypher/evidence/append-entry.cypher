// Appends one envelope to the transparency log in ONE round trip, inside the caller's write
// transaction. Takes the log's append lock by writing the one LogState node (unique id; Neo4j
// holds a written node's lock until the transaction ends, so concurrent appends queue), publishes
// the signing key (MERGE by id; a new one is valid from $at), and reads the log's size and right
// edge AFTER that write, under the lock. Only if the key is usable (same public key, not retired)
// and the log is exactly in the state the caller computed the entry from ($expectedSize,
// $expectedFrontier) does it write the LogEntry at index $expectedSize, its Statement, the signed
// TreeHead of the grown log, and the new size, right edge and root. Otherwise it writes nothing
// but the lock and returns the state it found, so the caller recomputes and runs it again (now
// holding the lock, the state cannot move). A stale guess can never fork the log.
// Parameters: $keyId, $publicKey (SPKI PEM), $at (ISO time), $expectedSize, $expectedFrontier
// (hex perfect-subtree roots, leftmost first), $entry (map: index, leafHash, envelope, at),
// $statement (map: id, kind, digest, logIndex, ref, keyIds), $head (map: size, rootHash,
// signature, keyId, at), $frontier (the grown right edge, hex list).
// `replan=skip`: the plan is unique-index seeks and creates, which no statistic can improve, and
// a replan (Neo4j replans a cached plan once the graph's counts have moved enough, as after an
// ingest) cost 0.1-1.3 s inside the write-back that appends (docs/evidence.md, "What appending costs").
CYPHER replan=skip
MERGE (k:SigningKey {id: $keyId})
  ON CREATE SET k.publicKey = $publicKey, k.from = $at
WITH k
MERGE (s:LogState {id: 'log'})
  ON CREATE SET s.size = 0
SET s.lockedAt = $at
WITH k, s, k.publicKey = $publicKey AS same, k.to IS NOT NULL AS retired, s.size AS size,
     coalesce(s.frontier, []) AS frontier
WITH k, s, same, retired, size, frontier,
     same AND NOT retired AND size = $expectedSize AND frontier = $expectedFrontier AS applies
CALL (s, applies) {
  WITH s WHERE applies
  CREATE (e:LogEntry)
  SET e = $entry
  CREATE (st:Statement)
  SET st = $statement
  CREATE (st)-[:LOGGED_AS]->(e)
  CREATE (h:TreeHead)
  SET h = $head
  SET s.size = $head.size, s.frontier = $frontier, s.rootHash = $head.rootHash
}
RETURN same, retired, size, frontier, applies
