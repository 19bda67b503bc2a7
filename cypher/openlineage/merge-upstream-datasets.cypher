// OpenLineage import: finds or creates each Dataset (path and sha256 kept when known, never
// erased by an event that lacks them) and links it to the ingested SourceFiles it is: the file
// with its content sha256, or the file first ingested from its path.
// Parameters: $datasets (list of maps: namespace, name, path, sha256).
UNWIND $datasets AS dataset
MERGE (d:Dataset {namespace: dataset.namespace, name: dataset.name})
SET d.path = coalesce(dataset.path, d.path), d.sha256 = coalesce(dataset.sha256, d.sha256)
WITH d
CALL (d) {
  OPTIONAL MATCH (byHash:SourceFile {id: d.sha256})
  OPTIONAL MATCH (byPath:SourceFile {path: d.path})
  WITH [f IN collect(DISTINCT byHash) + collect(DISTINCT byPath) WHERE f IS NOT NULL] AS files
  UNWIND files AS f
  MERGE (d)-[:IS]->(f)
  RETURN count(f) AS linked
}
RETURN sum(linked) AS linked
