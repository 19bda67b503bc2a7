// Bench (erasure completeness): the rows of one data subject in the fixture's files, with their
// business keys (what an erasure of the subject must remove).
// Parameters: $subject (the subject id), $fileIds (the fixture's SourceFile ids).
MATCH (r:SourceRow {subject: $subject})-[:IN_FILE]->(f:SourceFile)
WHERE f.id IN $fileIds AND NOT r.erased
RETURN f.id AS fileId, r.row AS row, r.key AS key
ORDER BY fileId, row
