// Data subjects: "Which kinds of data subject do the ingested files declare?" (to say, when a
// subject matches nothing, whether any pipeline declared one at all).
// Parameters: none.
MATCH (f:SourceFile)
WHERE f.subjectName IS NOT NULL
RETURN DISTINCT f.subjectName AS name
ORDER BY name
