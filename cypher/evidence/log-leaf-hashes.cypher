// One page of the log's stored leaf hashes in index order (for proofs), one record per entry:
// index and hash of the entries with $from <= index < $to.
// Parameters: $from, $to.
MATCH (e:LogEntry)
WHERE e.index >= $from AND e.index < $to
RETURN e.index AS index, e.leafHash AS leafHash
ORDER BY e.index
