// Write-back of a model version: takes the write lock on the model to supersede, so that the
// status read next is the latest committed one (two versions computed concurrently from one model
// cannot both supersede it).
// Parameters: $id (the model to supersede), $by (the new model's id).
MATCH (o:Model {id: $id})
SET o.lockedBy = $by
REMOVE o.lockedBy
RETURN count(o) AS locked
