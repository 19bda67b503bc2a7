// Range indexes for the look-ups auditors and workers make by business key and status.
// Parameters: none.
CREATE INDEX source_row_key IF NOT EXISTS FOR (r:SourceRow) ON (r.key);
CREATE INDEX source_file_table IF NOT EXISTS FOR (f:SourceFile) ON (f.table);
CREATE INDEX sample_key IF NOT EXISTS FOR (s:Sample) ON (s.key);
CREATE INDEX run_status IF NOT EXISTS FOR (r:Run) ON (r.status);
CREATE INDEX model_status IF NOT EXISTS FOR (m:Model) ON (m.status);
