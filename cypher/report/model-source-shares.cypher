// Report: "How much of this model's predictions does each source file explain?" — per attribution
// method, the number of predictions of the model with source shares (SOURCE_SHARE edges) and, per
// file, the sum of their shares (the report divides by the predictions: the mean share).
// Parameters: $modelId (Model id).
MATCH (:Model {id: $modelId})<-[:BY]-(p:Prediction)-[sh:SOURCE_SHARE]->(f:SourceFile)
WITH sh.method AS method, collect(DISTINCT p) AS predictions, collect({file: f, share: sh.share}) AS shares
UNWIND shares AS s
WITH method, size(predictions) AS predictions, s.file AS f, sum(s.share) AS shareSum
RETURN method, predictions, f.id AS fileId, f.name AS file, f.table AS table, shareSum
ORDER BY method, table, file
