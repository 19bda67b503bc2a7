// Write-back of a predictions job: records on the model version that its test predictions are
// written (or that they cannot be: `unavailable`, with why), how many, and when.
// Parameters: $modelId, $state ('written' or 'unavailable'), $count, $note (string or null).
MATCH (m:Model {id: $modelId})
SET m.predictionsState = $state, m.predictionsWritten = $count, m.predictionsAt = datetime(),
    m.predictionsNote = $note
RETURN m.predictionsState AS state
