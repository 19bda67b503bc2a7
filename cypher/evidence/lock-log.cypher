// Takes the transparency log's append lock for the rest of the write transaction: MERGEs the one
// LogState node (unique id) and writes to it, so concurrent appends wait for each other and
// never read the same size. Read the state with read-log-state afterwards.
// Parameters: $at (ISO time of the append).
MERGE (s:LogState {id: 'log'})
  ON CREATE SET s.size = 0
SET s.lockedAt = $at
RETURN s.size AS size
