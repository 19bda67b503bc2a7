// Signed evidence and the transparency log (docs/evidence.md, docs/graph-schema.md): one
// LogEntry per log index and one Statement per envelope; one TreeHead per tree size; one
// SigningKey per key id; one LogState (the append lock and the log's right edge). The uniqueness
// constraints back the MERGEs and make a second entry under one index impossible.
// Parameters: none.
CREATE CONSTRAINT log_entry_index IF NOT EXISTS FOR (e:LogEntry) REQUIRE e.index IS UNIQUE;
CREATE CONSTRAINT statement_id IF NOT EXISTS FOR (s:Statement) REQUIRE s.id IS UNIQUE;
CREATE CONSTRAINT tree_head_size IF NOT EXISTS FOR (h:TreeHead) REQUIRE h.size IS UNIQUE;
CREATE CONSTRAINT signing_key_id IF NOT EXISTS FOR (k:SigningKey) REQUIRE k.id IS UNIQUE;
CREATE CONSTRAINT log_state_id IF NOT EXISTS FOR (s:LogState) REQUIRE s.id IS UNIQUE;
CREATE INDEX log_entry_leaf_hash IF NOT EXISTS FOR (e:LogEntry) ON (e.leafHash);
CREATE INDEX statement_ref IF NOT EXISTS FOR (s:Statement) ON (s.ref);
CREATE INDEX statement_log_index IF NOT EXISTS FOR (s:Statement) ON (s.logIndex);
