// Statements that record a log index at or past the signed tree size, first few: once every
// entry below that size is known to exist, these are the statements whose entry was deleted
// (the last ones, with their tree heads). A range seek on the Statement.logIndex index.
// Parameters: $size, $limit.
MATCH (st:Statement)
WHERE st.logIndex >= $size
RETURN st.id AS id, st.logIndex AS logIndex
ORDER BY st.logIndex
LIMIT $limit
