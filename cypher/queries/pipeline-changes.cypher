// Auditor: "Which runs used a different pipeline than the run before them of the same pipeline
// name?" — where a declared pipeline file changed between two runs. Complete runs with a declared
// pipeline (USES) only, grouped by the Pipeline's name and ordered by when each run started (then
// by id); a run is listed when its pipeline's sha256 differs from the previous run's. The first run
// of a name is not listed. Compare the two texts with `run-pipeline` on both run ids.
// Parameters: $pipeline (a pipeline name, or null for every pipeline: `--param pipeline:json=null`).
MATCH (run:Run {status: 'complete'})-[:USES]->(p:Pipeline)
WHERE $pipeline IS NULL OR p.name = $pipeline
WITH run, p ORDER BY run.startedAt, run.id
WITH p.name AS pipeline, collect({runId: run.id, startedAt: run.startedAt, sha256: p.sha256}) AS runs
UNWIND range(1, size(runs) - 1) AS i
WITH pipeline, runs[i] AS current, runs[i - 1] AS previous
WHERE current.sha256 <> previous.sha256
RETURN current.runId AS runId, current.startedAt AS startedAt, pipeline, current.sha256 AS sha256,
       previous.runId AS previousRunId, previous.sha256 AS previousSha256
ORDER BY startedAt, runId
