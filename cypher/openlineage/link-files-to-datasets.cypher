// After an ingest: links the run's SourceFiles to the OpenLineage Datasets read in before that
// name them (by content sha256 or by path), so an import and an ingest may come in either order.
// Parameters: $fileIds (SourceFile ids).
UNWIND $fileIds AS fileId
MATCH (f:SourceFile {id: fileId})
CALL (f) {
  OPTIONAL MATCH (byHash:Dataset {sha256: f.id})
  OPTIONAL MATCH (byPath:Dataset {path: f.path})
  WITH [d IN collect(DISTINCT byHash) + collect(DISTINCT byPath) WHERE d IS NOT NULL] AS datasets
  UNWIND datasets AS d
  MERGE (d)-[:IS]->(f)
  RETURN count(d) AS linked
}
RETURN sum(linked) AS linked
