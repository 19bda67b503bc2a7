// OpenLineage events read in (docs/openlineage.md, docs/graph-schema.md): one Job per
// (namespace, name) and one Dataset per (namespace, name), as the specification identifies them;
// datasets are matched to ingested SourceFiles by path or by content sha256.
// Parameters: none.
CREATE CONSTRAINT lineage_job_key IF NOT EXISTS FOR (j:Job) REQUIRE (j.namespace, j.name) IS UNIQUE;
CREATE CONSTRAINT lineage_dataset_key IF NOT EXISTS FOR (d:Dataset) REQUIRE (d.namespace, d.name) IS UNIQUE;
CREATE INDEX lineage_dataset_path IF NOT EXISTS FOR (d:Dataset) ON (d.path);
CREATE INDEX lineage_dataset_sha256 IF NOT EXISTS FOR (d:Dataset) ON (d.sha256);
CREATE INDEX source_file_path IF NOT EXISTS FOR (f:SourceFile) ON (f.path);
