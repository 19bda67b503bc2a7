// Unlearning: completes a request whose rows earlier requests on the same model line had all
// erased: nothing is computed, erased or superseded. The request records which requests had
// erased its rows (`alreadyErasedBy`) and the model that stays active (unchanged).
// Parameters: $id (request id), $mode, $modelId (active model, unchanged), $requestedModelId (or
// null), $sourceRows (how many rows it named), $alreadyErasedBy (list of request ids), $repeatOf
// (the latest of them: the request whose result this one answers with).
MERGE (u:UnlearningRequest {id: $id})
  ON CREATE SET u.requestedAt = datetime()
SET u.status = 'complete', u.mode = $mode, u.completedAt = datetime(), u.error = null, u.errorCode = null,
  u.modelId = $modelId, u.previousModelId = $modelId, u.requestedModelId = $requestedModelId,
  u.sourceRows = $sourceRows, u.affectedSamples = 0, u.forgottenTrainSamples = 0, u.recomputedSamples = 0,
  u.recomputedTrainSamples = 0, u.droppedSamples = 0, u.fallback = false,
  u.alreadyErasedRows = $sourceRows, u.alreadyErasedBy = $alreadyErasedBy, u.repeatOf = $repeatOf
RETURN u.id AS id
