// Unlearning: "Which source files does `--file` name?" A reference is a content id, a file name
// or a path; several files can share a name or path (two data sets, a re-generated extract).
// `inRun` says whether the target model's run read the file (its load Op-[:READ]->SourceFile).
// Parameters: $id (the reference as given), $names (names to match), $paths (paths to match),
// $runId (the target model's run, or null when no model is known yet).
MATCH (f:SourceFile)
WHERE f.id = $id OR f.name IN $names OR f.path IN $paths
RETURN f.id AS id, f.name AS name, f.path AS path, f.table AS table, f.rows AS rows,
  $runId IS NOT NULL AND EXISTS { (:Run {id: $runId})-[:HAS_OP]->(:Op)-[:READ]->(f) } AS inRun
ORDER BY name, path, id
