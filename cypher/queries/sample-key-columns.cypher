// Auditor: "By which business-key columns can samples be looked up (`trace --key COLUMN=VALUE`),
// and is $column one of them?" One row: the key columns runs recorded for their samples
// (`Run.sampleKeyColumn`), and whether $column is among them.
// Parameters: $column (a column name, e.g. `SK_ID_CURR`).
OPTIONAL MATCH (run:Run) WHERE run.sampleKeyColumn IS NOT NULL
WITH collect(DISTINCT run.sampleKeyColumn) AS columns
RETURN columns AS keyColumns, $column IN columns AS known
