// One page of the log in index order, one record per entry (records stream faster than one
// collected list): index, stored leaf hash and envelope of the entries with $from <= index < $to.
// Parameters: $from, $to.
MATCH (e:LogEntry)
WHERE e.index >= $from AND e.index < $to
RETURN e.index AS index, e.leafHash AS leafHash, e.envelope AS envelope
ORDER BY e.index
