// Unlearning: the SourceRows named by id (`<fileId>:<row>`); an unknown id comes back with a null id.
// Parameters: $ids (list of SourceRow ids).
UNWIND $ids AS id
OPTIONAL MATCH (r:SourceRow {id: id})
RETURN id AS asked, r.id AS id
