// Unlearning: "Which samples of this run were derived from these source rows?" Forward lineage
// ((Sample)-[:DERIVED_FROM]->(SourceRow), collapsed over all ops): the samples a request affects.
// Parameters: $rowIds (list of SourceRow ids), $runId (the target model's run).
UNWIND $rowIds AS rid
MATCH (:SourceRow {id: rid})<-[:DERIVED_FROM]-(s:Sample)-[:OUTPUT_OF]->(:Run {id: $runId})
RETURN DISTINCT s.id AS id
ORDER BY id
