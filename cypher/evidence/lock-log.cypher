// Takes the transparency log's append lock for the rest of the write transaction and reads the
// log's state under it: publishes the signing key (MERGE by id; a new one is valid from $at),
// MERGEs the one LogState node (unique id) and writes to it, so concurrent appends wait for each
// other; its size and right edge (hex perfect-subtree roots, leftmost first) are read after the
// write, under the lock. One round trip: the append's cost is mostly round trips.
// Parameters: $keyId, $publicKey (SPKI PEM), $at (ISO time of the append).
MERGE (k:SigningKey {id: $keyId})
  ON CREATE SET k.publicKey = $publicKey, k.from = $at
WITH k
MERGE (s:LogState {id: 'log'})
  ON CREATE SET s.size = 0
SET s.lockedAt = $at
WITH k, s
RETURN k.publicKey = $publicKey AS same, k.to IS NOT NULL AS retired,
       s.size AS size, coalesce(s.frontier, []) AS frontier
