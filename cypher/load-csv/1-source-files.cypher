// LOAD CSV reference (graph benchmark): MERGE the SourceFiles.
// Parameters: $prefix (file-name prefix in the import folder), $runId.
LOAD CSV WITH HEADERS FROM 'file:///' + $prefix + 'source_files.csv' AS line
MERGE (f:SourceFile {id: line.id})
  ON CREATE SET f.name = line.name, f.path = line.path, f.table = line.table, f.rows = toInteger(line.rows),
    f.keyColumn = nullif(line.keyColumn, ''), f.firstRun = $runId
