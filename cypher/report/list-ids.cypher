// Report: "Which ids can I report on?" — the newest $limit Models, UnlearningRequests or Runs (as
// $kind says: `model`, `erasure` or `run`), each with its status and when it was made.
// Parameters: $kind (`model`, `erasure` or `run`), $limit (integer).
CALL () {
  MATCH (m:Model) WHERE $kind = 'model'
  RETURN m.id AS id, m.status AS status, toString(m.trainedAt) AS at
  UNION
  MATCH (u:UnlearningRequest) WHERE $kind = 'erasure'
  RETURN u.id AS id, u.status AS status, toString(u.requestedAt) AS at
  UNION
  MATCH (r:Run) WHERE $kind = 'run'
  RETURN r.id AS id, r.status AS status, toString(r.startedAt) AS at
}
RETURN id, status, at
ORDER BY at DESC, id
LIMIT toInteger($limit)
