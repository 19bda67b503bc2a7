// Marks a running Run complete, with its finish time and the counts written.
// Parameters: $runId, $finishedAt, $counts (map).
MATCH (run:Run {id: $runId})
WHERE run.status = 'running'
SET run += $counts, run.status = 'complete', run.finishedAt = $finishedAt
RETURN run.id AS id
