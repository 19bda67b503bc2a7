// Unlearning: "Which source files did this run read?" (its load Op-[:READ]->SourceFile), to say
// what a `--file` that matched none of them could have named.
// Parameters: $runId (Run id).
MATCH (:Run {id: $runId})-[:HAS_OP]->(:Op)-[:READ]->(f:SourceFile)
RETURN DISTINCT f.id AS id, f.name AS name, f.path AS path, f.table AS table, f.rows AS rows
ORDER BY name, path, id
