// How many live SourceRows of a file have a data subject: an ingest that declares a subject for
// the file gives existing rows theirs (set-row-subjects) only when fewer have one than it knows of.
// Parameters: $fileId.
MATCH (:SourceFile {id: $fileId})<-[:IN_FILE]-(r:SourceRow)
WHERE r.erased = false
RETURN count(r.subject) AS rows
