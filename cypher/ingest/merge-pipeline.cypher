// Records the declared pipeline a run executed: finds or creates the Pipeline by the sha256 of its
// canonical text and links the Run to it with USES (identical pipelines share one node). Returns
// whether the node holds the same name and text (false only for a hash collision or a node
// written by something else: the writer then fails the ingest).
// Parameters: $runId, $sha256, $name, $format, $text.
MATCH (run:Run {id: $runId})
MERGE (p:Pipeline {sha256: $sha256})
  ON CREATE SET p.name = $name, p.format = $format, p.text = $text
CREATE (run)-[:USES]->(p)
RETURN p.name = $name AND p.format = $format AND p.text = $text AS same
