// Erasure inventory, fitted encoder state of one run: "Which of the run's samples were erased
// (dropped) or re-derived, by any request, and where does the graph keep the texts of the run's
// one-hot levels?" The dropped and re-derived sample ids; the Run's feature names (one-hot
// indicators are named `column=level`); the run's `encode` ops with their params (JSON: a one-hot
// op's fitted `categories`) and column lineage (JSON, keyed by output column name).
// Parameters: $runId (Run id).
MATCH (run:Run {id: $runId})
CALL (run) {
  OPTIONAL MATCH (s:Sample)-[:OUTPUT_OF]->(run)
  WHERE s.erased OR s.rederivedBy IS NOT NULL
  RETURN collect(CASE WHEN s.erased THEN s.id END) AS dropped,
         collect(CASE WHEN NOT coalesce(s.erased, false) THEN s.id END) AS rederived
}
CALL (run) {
  OPTIONAL MATCH (run)-[:HAS_OP]->(o:Op {kind: 'encode'})
  RETURN collect(CASE WHEN o IS NOT NULL THEN {id: o.id, params: o.params, columns: o.columns} END) AS encodeOps
}
RETURN coalesce(run.featureNames, []) AS featureNames, dropped, rederived, encodeOps
