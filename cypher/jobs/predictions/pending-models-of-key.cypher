// Trace by key: the model versions whose test predictions are still to be written (an erasure's
// new version, `predictionsState: 'pending'`) that a trace of the sample keyed COLUMN = VALUE would
// read: the named model, or the active versions of the sample's run. A trace then says the
// predictions are pending rather than falling back to an older version's.
// Parameters: $column (key column), $key (the key as text), $modelId (a model id, or null).
MATCH (s:Sample {key: $key})-[:OUTPUT_OF]->(run:Run)
WHERE run.sampleKeyColumn = $column
   OR (run.sampleKeyColumn IS NULL
       AND EXISTS { (s)-[:DERIVED_FROM]->(:SourceRow {key: $key})-[:IN_FILE]->(:SourceFile {keyColumn: $column}) })
MATCH (m:Model)-[:TRAINED_ON]->(run)
WHERE m.predictionsState = 'pending' AND (($modelId IS NULL AND m.status = 'active') OR m.id = $modelId)
RETURN DISTINCT m.id AS modelId, m.predictionsPending AS count
