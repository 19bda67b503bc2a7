// One page of the log in index order, as three parallel lists (fast over Bolt): indexes, stored
// leaf hashes and envelopes of the entries with $from <= index < $to.
// Parameters: $from, $to.
MATCH (e:LogEntry)
WHERE e.index >= $from AND e.index < $to
WITH e
ORDER BY e.index
RETURN collect(e.index) AS indexes, collect(e.leafHash) AS leafHashes, collect(e.envelope) AS envelopes
