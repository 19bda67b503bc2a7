// Data subjects: "What data subject does this run's pipeline declare?" The run's pipeline name
// and the canonical text of its declared pipeline (its `subject` section, when it has one; no
// text for a run of a built-in pipeline). No row when there is no such Run.
// Parameters: $runId.
MATCH (run:Run {id: $runId})
OPTIONAL MATCH (run)-[:USES]->(p:Pipeline)
RETURN run.pipeline AS pipeline, p.text AS text
