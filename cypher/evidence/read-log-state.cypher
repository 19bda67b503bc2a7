// The log's size and right edge (the perfect-subtree roots, hex, leftmost first), read after the
// append lock is taken.
// Parameters: none.
MATCH (s:LogState {id: 'log'})
RETURN s.size AS size, coalesce(s.frontier, []) AS frontier
