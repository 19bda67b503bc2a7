// Scrubbing a run's derived stores after an erasure: takes the Run's write lock (one scrub of a
// run at a time, across processes; held until the transaction ends) and reads what the scrub
// needs: the run's dropped and re-derived samples; every model version trained on the run, with
// its status, when it was trained, whether its parameters were shredded already, and the requests
// that produced it or an earlier version of its line (it was built without their rows); and every
// request that committed on the run, with the samples it affected and when its first line
// committed.
// Parameters: $runId.
MATCH (run:Run {id: $runId})
SET run.storesScrubbedAt = datetime()
WITH run
CALL (run) {
  OPTIONAL MATCH (s:Sample)-[:OUTPUT_OF]->(run)
  WHERE s.erased OR s.rederivedBy IS NOT NULL
  RETURN collect(CASE WHEN s.erased THEN s.id END) AS dropped,
         collect(CASE WHEN NOT coalesce(s.erased, false) THEN s.id END) AS rederived
}
CALL (run) {
  OPTIONAL MATCH (m:Model)-[:TRAINED_ON]->(run)
  OPTIONAL MATCH (m)-[:SUPERSEDES*0..]->(:Model)<-[:PRODUCED]-(by:UnlearningRequest)
  WITH m, collect(DISTINCT by.id) AS covered
  WHERE m IS NOT NULL
  RETURN collect({id: m.id, status: m.status, trainedAt: m.trainedAt.epochMillis,
                  shredded: m.paramsShreddedBy IS NOT NULL, covered: covered}) AS models
}
CALL (run) {
  OPTIONAL MATCH (u:UnlearningRequest)-[:AFFECTED]->(s:Sample)-[:OUTPUT_OF]->(run)
  WITH u, collect(s.id) AS samples
  WHERE u IS NOT NULL
  RETURN collect({id: u.id, committedAt: coalesce(u.firstCommittedAt, u.completedAt).epochMillis,
                  samples: samples}) AS requests
}
RETURN dropped, rederived, models, requests
