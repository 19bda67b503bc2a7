// Declared pipelines (docs/graph-schema.md): one Pipeline node per canonical pipeline text, keyed
// by the text's sha256; runs of identical pipelines share it through (:Run)-[:USES]->(:Pipeline).
// The uniqueness constraint backs the ingest's MERGE and the look-ups by hash.
// Parameters: none.
CREATE CONSTRAINT pipeline_sha256 IF NOT EXISTS FOR (p:Pipeline) REQUIRE p.sha256 IS UNIQUE;
