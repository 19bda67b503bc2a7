// Appends one envelope to the log: the LogEntry at the next index, its Statement, the signed
// tree head of the grown log, and the log's new size and right edge. Runs under the append lock.
// Parameters: $entry (map: index, leafHash, envelope, at), $statement (map: id, kind, digest,
// logIndex, ref, keyIds), $head (map: size, rootHash, signature, keyId, at), $frontier (hex list).
MATCH (s:LogState {id: 'log'})
CREATE (e:LogEntry)
SET e = $entry
CREATE (st:Statement)
SET st = $statement
CREATE (st)-[:LOGGED_AS]->(e)
CREATE (h:TreeHead)
SET h = $head
SET s.size = $head.size, s.frontier = $frontier, s.rootHash = $head.rootHash
RETURN e.index AS index
