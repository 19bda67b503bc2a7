// Exactly-once write-back, step 2: marks the job's JobRun committed, in the same transaction as the
// job's results, with the attempt that wrote them.
// Parameters: $jobId (the BullMQ job id), $attempt (1-based attempt number).
MATCH (j:JobRun {jobId: $jobId})
SET j.status = 'committed', j.committedAt = datetime(), j.attempt = $attempt
RETURN toString(j.committedAt) AS committedAt
