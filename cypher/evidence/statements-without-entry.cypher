// Statements whose log entry is missing (a deleted entry leaves its Statement behind), first few.
// Parameters: $limit.
MATCH (st:Statement)
WHERE NOT EXISTS { MATCH (:LogEntry {index: st.logIndex}) }
RETURN st.id AS id, st.logIndex AS logIndex
ORDER BY st.logIndex
LIMIT $limit
