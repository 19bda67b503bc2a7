// OpenLineage import: finds or creates each upstream Job and keeps its latest event (by event
// time: an older event read later changes nothing).
// Parameters: $jobs (list of maps: namespace, name, runId, eventType, eventTime, producer).
UNWIND $jobs AS job
MERGE (j:Job {namespace: job.namespace, name: job.name})
  ON CREATE SET j.firstSeenAt = job.eventTime
WITH j, job
WHERE j.lastEventTime IS NULL OR j.lastEventTime <= job.eventTime
SET j.lastRunId = job.runId, j.lastEventType = job.eventType, j.lastEventTime = job.eventTime,
  j.producer = job.producer
