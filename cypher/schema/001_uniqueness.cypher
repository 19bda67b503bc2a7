// Uniqueness constraints (each also creates the index that backs MERGE and id look-ups).
// Parameters: none.
CREATE CONSTRAINT source_file_id IF NOT EXISTS FOR (f:SourceFile) REQUIRE f.id IS UNIQUE;
CREATE CONSTRAINT source_row_id IF NOT EXISTS FOR (r:SourceRow) REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT run_id IF NOT EXISTS FOR (r:Run) REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT op_id IF NOT EXISTS FOR (o:Op) REQUIRE o.id IS UNIQUE;
CREATE CONSTRAINT sample_id IF NOT EXISTS FOR (s:Sample) REQUIRE s.id IS UNIQUE;
CREATE CONSTRAINT model_id IF NOT EXISTS FOR (m:Model) REQUIRE m.id IS UNIQUE;
CREATE CONSTRAINT prediction_id IF NOT EXISTS FOR (p:Prediction) REQUIRE p.id IS UNIQUE;
CREATE CONSTRAINT unlearning_request_id IF NOT EXISTS FOR (u:UnlearningRequest) REQUIRE u.id IS UNIQUE;
CREATE CONSTRAINT job_run_job_id IF NOT EXISTS FOR (j:JobRun) REQUIRE j.jobId IS UNIQUE;
