// Data subjects (docs/graph-schema.md, "Data subjects"): a subject access or erasure request
// names a person, not rows. Live rows are found by their subject id, erased ones by the salted
// hash of it that their tombstone keeps.
// Parameters: none.
CREATE INDEX source_row_subject IF NOT EXISTS FOR (r:SourceRow) ON (r.subject);
CREATE INDEX tombstone_subject_hash IF NOT EXISTS FOR (t:Tombstone) ON (t.subjectHash);
