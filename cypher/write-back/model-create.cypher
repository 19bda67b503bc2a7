// Write-back of a model version (train and unlearning jobs): creates the Model (status `active`)
// -[:TRAINED_ON]->Run and, when it supersedes a version, -[:SUPERSEDES]->that one, which becomes
// `superseded`. No row when the Run is missing; `superseded` is false when the model to supersede is.
// Parameters: $id, $runId, $version, $kind, $trainedAt (ISO string), $lambda, $metrics (map:
// trainAccuracy, testAccuracy, trainLoss, testLoss), $metricsJson, $trainRows, $testRows,
// $paramsSha256, $runMatrixSha256, $artifactPath, $supersedes (model id or null), $certification (map
// of certifiedEpsilon, certifiedDelta, certifiedSigma, removalBudget, budgetSpent, budgetLeft; empty when
// the line is not certified).
MATCH (run:Run {id: $runId})
CREATE (m:Model {id: $id, version: $version, kind: $kind, status: 'active', trainedAt: datetime($trainedAt),
  lambda: $lambda, metrics: $metricsJson, trainAccuracy: $metrics.trainAccuracy, testAccuracy: $metrics.testAccuracy,
  trainLoss: $metrics.trainLoss, testLoss: $metrics.testLoss, trainRows: $trainRows, testRows: $testRows,
  paramsSha256: $paramsSha256, runMatrixSha256: $runMatrixSha256, artifactPath: $artifactPath})
SET m += $certification
CREATE (m)-[:TRAINED_ON]->(run)
WITH m
OPTIONAL MATCH (old:Model {id: $supersedes})
FOREACH (o IN CASE WHEN old IS NULL THEN [] ELSE [old] END |
  SET o.status = 'superseded', o.supersededAt = datetime($trainedAt)
  CREATE (m)-[:SUPERSEDES]->(o))
RETURN m.id AS id, old IS NOT NULL AS superseded
