// Marks a Run failed, with the reason. Returns the SourceFiles it created (firstRun) that no
// other Run reads: those and their SourceRows are removed by the clean-up that follows.
// Parameters: $runId, $finishedAt, $error.
MATCH (run:Run {id: $runId})
SET run.status = 'failed', run.finishedAt = $finishedAt, run.error = $error
WITH run
OPTIONAL MATCH (run)-[:HAS_OP]->(:Op)-[:READ]->(f:SourceFile)
WHERE f.firstRun = $runId
  AND NOT EXISTS { (f)<-[:READ]-(:Op)<-[:HAS_OP]-(other:Run) WHERE other.id <> $runId }
RETURN run.id AS id, collect(DISTINCT f.id) AS orphanFiles
