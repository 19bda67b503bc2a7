// Erasure tombstones (docs/graph-schema.md, docs/unlearning.md): one Tombstone per erased source
// row, id `<fileId>:<row>` like its SourceRow. Every ingest and every recompute looks them up by
// file (fileId) and by table (the key hashes of a table); auditors by key hash.
// Parameters: none.
CREATE CONSTRAINT tombstone_id IF NOT EXISTS FOR (t:Tombstone) REQUIRE t.id IS UNIQUE;
CREATE INDEX tombstone_file_id IF NOT EXISTS FOR (t:Tombstone) ON (t.fileId);
CREATE INDEX tombstone_table IF NOT EXISTS FOR (t:Tombstone) ON (t.table);
CREATE INDEX tombstone_key_hash IF NOT EXISTS FOR (t:Tombstone) ON (t.keyHash);
