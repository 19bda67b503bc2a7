// Auditor: "Which predictions were made for the sample whose business key COLUMN is VALUE (e.g.
// SK_ID_CURR 100042), and by which models?" — how `traceprop trace --key COLUMN=VALUE` finds the
// prediction to explain. A sample's key column is its run's `sampleKeyColumn`; for runs written
// before that was recorded, the key column of the file its row provenance reaches by the same key.
// Active models first, then newer versions.
// Parameters: $column (key column, e.g. `SK_ID_CURR`), $key (the key as text), $modelId (a model
// id, or null for every model).
MATCH (s:Sample {key: $key})-[:OUTPUT_OF]->(run:Run)
WHERE run.sampleKeyColumn = $column
   OR (run.sampleKeyColumn IS NULL
       AND EXISTS { (s)-[:DERIVED_FROM]->(:SourceRow {key: $key})-[:IN_FILE]->(:SourceFile {keyColumn: $column}) })
MATCH (s)<-[:FOR]-(p:Prediction)-[:BY]->(m:Model)
WHERE $modelId IS NULL OR m.id = $modelId
RETURN p.id AS predictionId, m.id AS modelId, m.version AS version, m.status AS status,
       run.id AS runId, s.id AS sampleId
ORDER BY CASE m.status WHEN 'active' THEN 0 ELSE 1 END, m.version DESC, m.id
