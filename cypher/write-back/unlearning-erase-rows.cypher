// Unlearning write-back, step 2 (after the tombstones): the request TARGETS each erased SourceRow,
// which keeps only its content-free skeleton (`id`, `row`, `erased`, `erasedAt`, `erasedBy`).
// Parameters: $id (request id), $rowIds (list of SourceRow ids).
MATCH (u:UnlearningRequest {id: $id})
UNWIND $rowIds AS rid
MATCH (r:SourceRow {id: rid})
MERGE (u)-[:TARGETS]->(r)
SET r = {id: r.id, row: r.row, erased: true, erasedAt: coalesce(r.erasedAt, datetime()), erasedBy: $id}
RETURN count(r) AS erased
