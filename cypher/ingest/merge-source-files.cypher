// Finds or creates the content-addressed SourceFiles of a run (id = content sha256). A file this
// run creates remembers it in `firstRun`, so that a failed ingest removes only what it created.
// A file gets the run's subject name when it has none yet (a file first written by a pipeline
// without a subject declaration); `subjectConflict` says it already had another one.
// Returns, per file, whether this run created it and how many SourceRows it already has.
// Parameters: $runId, $files (list of maps: id, name, path, table, rows, keyColumn, subjectName).
UNWIND $files AS file
MERGE (f:SourceFile {id: file.id})
  ON CREATE SET f.name = file.name, f.path = file.path, f.table = file.table, f.rows = file.rows,
    f.keyColumn = file.keyColumn, f.firstRun = $runId
WITH f, file, f.subjectName AS before
SET f.subjectName = coalesce(before, file.subjectName)
RETURN f.id AS id, f.firstRun = $runId AS created, f.rows AS rows, COUNT { (f)<-[:IN_FILE]-() } AS rowsPresent,
  before IS NOT NULL AND file.subjectName IS NOT NULL AND before <> file.subjectName AS subjectConflict,
  before AS subjectNameBefore
