// Exactly-once write-back, step 1: takes the job's JobRun (MERGE on the unique jobId, which locks
// it for the transaction), counts this delivery, and says whether an earlier attempt already
// committed the job's results (then nothing more is written).
// Parameters: $jobId (the BullMQ job id), $kind (queue kind, e.g. `unlearning`).
MERGE (j:JobRun {jobId: $jobId})
  ON CREATE SET j.kind = $kind, j.status = 'pending', j.createdAt = datetime()
SET j.deliveries = coalesce(j.deliveries, 0) + 1
RETURN j.status AS status, toString(j.committedAt) AS committedAt
