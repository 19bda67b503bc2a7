// Bench (scale): the bureau file of the ingested run, whose rows `descendants` is timed on.
// Parameters: none.
MATCH (f:SourceFile {table: 'bureau'})
RETURN f.id AS id, f.rows AS rows
