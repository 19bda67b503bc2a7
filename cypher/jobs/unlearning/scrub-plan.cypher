// Scrubbing a run's derived stores after an erasure: takes the Run's write lock (one scrub of a
// run at a time, across processes; held until the transaction ends) and reads what the scrub
// needs: the run's dropped and re-derived samples; every model version trained on the run, with
// its status, when it was trained, whether its parameters were shredded already, and the requests
// that produced it or an earlier version of its line (it was built without their rows); and every
// request that committed on the run, with the samples it affected and when its first line
// committed.
// The samples are reached from the few that erasures marked (the indexes on Sample.erased and
// Sample.rederivedBy), never by expanding every sample of the run: every sample a request
// AFFECTED is marked one way or the other in the same write (`unlearning-affect-samples`), so the
// requests are found from them too. The cost grows with the samples erased, not with the run.
// Parameters: $runId.
MATCH (run:Run {id: $runId})
SET run.storesScrubbedAt = datetime()
WITH run
CALL (run) {
  CALL () {
    MATCH (s:Sample) USING INDEX s:Sample(erased)
    WHERE s.erased = true
    RETURN s
    UNION
    MATCH (s:Sample) USING INDEX s:Sample(rederivedBy)
    WHERE s.rederivedBy IS NOT NULL
    RETURN s
  }
  WITH s WHERE (s)-[:OUTPUT_OF]->(run)
  RETURN collect(s) AS marked
}
CALL (run) {
  OPTIONAL MATCH (m:Model)-[:TRAINED_ON]->(run)
  OPTIONAL MATCH (m)-[:SUPERSEDES*0..]->(:Model)<-[:PRODUCED]-(by:UnlearningRequest)
  WITH m, collect(DISTINCT by.id) AS covered
  WHERE m IS NOT NULL
  RETURN collect({id: m.id, status: m.status, trainedAt: m.trainedAt.epochMillis,
                  shredded: m.paramsShreddedBy IS NOT NULL, covered: covered}) AS models
}
CALL (marked) {
  UNWIND marked AS s
  MATCH (u:UnlearningRequest)-[:AFFECTED]->(s)
  WITH u, collect(s.id) AS samples
  RETURN collect({id: u.id, committedAt: coalesce(u.firstCommittedAt, u.completedAt).epochMillis,
                  samples: samples}) AS requests
}
RETURN [s IN marked WHERE s.erased | s.id] AS dropped,
       [s IN marked WHERE NOT coalesce(s.erased, false) | s.id] AS rederived,
       models, requests
