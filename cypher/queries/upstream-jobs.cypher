// Auditor: "Past the CSV files: which upstream jobs (Spark, dbt, Airflow…, read in as OpenLineage
// events) wrote the files this sample was derived from, and what did those jobs read?" One record
// per (file, upstream job): `hops` is 1 for the job that wrote the file, 2 for a job that wrote
// what that job read, and so on (at most 10).
// Parameters: $sampleId (Sample id).
MATCH (s:Sample {id: $sampleId})-[:DERIVED_FROM]->(:SourceRow)-[:IN_FILE]->(f:SourceFile)
WITH DISTINCT f
MATCH (f)<-[:IS]-(d:Dataset)
MATCH p = (d) ((:Dataset)<-[:WROTE]-(:Job)-[:READ]->(:Dataset)){0,9} (written:Dataset)<-[w:WROTE]-(job:Job)
WITH f, job, written, w, min(length(p) / 2 + 1) AS hops
OPTIONAL MATCH (job)-[:READ]->(input:Dataset)
WITH f, job, written, w, hops, collect(DISTINCT input.namespace + ' ' + input.name) AS reads
RETURN f.id AS fileId, f.name AS file, hops, job.namespace AS jobNamespace, job.name AS jobName,
  job.lastRunId AS lastRunId, job.lastEventType AS lastEventType, job.lastEventTime AS lastEventTime,
  written.namespace AS wroteNamespace, written.name AS wroteName, w.runId AS wroteInRun, w.at AS wroteAt,
  reads
ORDER BY file, hops, jobNamespace, jobName
