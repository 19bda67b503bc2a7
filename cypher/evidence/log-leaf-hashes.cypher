// One page of the log's stored leaf hashes in index order (for proofs): indexes and hashes of the
// entries with $from <= index < $to.
// Parameters: $from, $to.
MATCH (e:LogEntry)
WHERE e.index >= $from AND e.index < $to
WITH e
ORDER BY e.index
RETURN collect(e.index) AS indexes, collect(e.leafHash) AS leafHashes
