// Unlearning write-back: records on the request how far a model line's kept encoder and scaler
// state (fitted on the run's rows, erased ones included) is from what a refit on the rows the line
// now holds would learn (docs/unlearning.md, "Fitted encoder state"): the line's entry (JSON) is
// appended to `encoderDrift` (one per line, in update order); over every line so far the request
// keeps the largest mean shift in fitted-sd units and its column, the sd ratio farthest from 1 and
// its column, the most one-hot levels only erased rows had and the columns of such levels (never
// the level texts), and the status (`measured`, `partial`, `unknown`; lines that differ: `partial`).
// Parameters: $id (request id), $entry (the line's drift, JSON), $status, $shift (or null),
// $shiftFeature (or null), $ratio (or null), $ratioFeature (or null), $levels, $levelFeatures (list).
MATCH (u:UnlearningRequest {id: $id})
WITH u,
     $shift IS NOT NULL AND (u.encoderMaxMeanShiftSd IS NULL OR abs($shift) > abs(u.encoderMaxMeanShiftSd)) AS worseShift,
     $ratio IS NOT NULL AND (u.encoderSdRatio IS NULL OR abs(log($ratio)) > abs(log(u.encoderSdRatio))) AS worseRatio
SET u.encoderDrift = coalesce(u.encoderDrift, []) + [$entry],
    u.encoderDriftStatus = CASE WHEN u.encoderDriftStatus IS NULL OR u.encoderDriftStatus = $status THEN $status ELSE 'partial' END,
    u.encoderMaxMeanShiftSd = CASE WHEN worseShift THEN $shift ELSE u.encoderMaxMeanShiftSd END,
    u.encoderMaxMeanShiftFeature = CASE WHEN worseShift THEN $shiftFeature ELSE u.encoderMaxMeanShiftFeature END,
    u.encoderSdRatio = CASE WHEN worseRatio THEN $ratio ELSE u.encoderSdRatio END,
    u.encoderSdRatioFeature = CASE WHEN worseRatio THEN $ratioFeature ELSE u.encoderSdRatioFeature END,
    u.encoderLevelsOnlyErased = CASE WHEN coalesce(u.encoderLevelsOnlyErased, 0) >= $levels THEN coalesce(u.encoderLevelsOnlyErased, 0) ELSE $levels END,
    u.encoderLevelsOnlyErasedFeatures = reduce(acc = coalesce(u.encoderLevelsOnlyErasedFeatures, []), f IN $levelFeatures |
      CASE WHEN f IN acc THEN acc ELSE acc + f END)
RETURN u.id AS id
