// Gives existing SourceRows of a file their data subject: an ingest of a pipeline that declares
// one, over rows an earlier ingest wrote without it (the same bytes read by a pipeline without a
// subject declaration). Erased rows are left alone: their subject went with their data. A row
// that has another subject already keeps it and is counted in `conflicts`.
// Parameters: $fileId, $start (int, the row of $subjects[0]), $subjects (subject id per row, null
// for none).
UNWIND range(0, size($subjects) - 1) AS i
WITH i, $subjects[i] AS subject
WHERE subject IS NOT NULL
MATCH (r:SourceRow {id: $fileId + ':' + toString($start + i)})
WHERE r.erased = false
WITH r, subject, r.subject AS before
SET r.subject = coalesce(before, subject)
RETURN count(CASE WHEN before IS NULL THEN 1 END) AS set, count(CASE WHEN before <> subject THEN 1 END) AS conflicts
