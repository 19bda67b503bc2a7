// Data subjects: "Under which subject names were rows with a subject erased, and with which salt
// were their subject hashes made?" Resolving a subject hashes its id once per name found here;
// the salts are checked against the deployment's first.
// Parameters: $subjectName (only this name, or null for any).
MATCH (t:Tombstone)
WHERE t.subjectHash IS NOT NULL AND ($subjectName IS NULL OR t.subjectName = $subjectName)
RETURN t.subjectName AS name, t.saltId AS saltId, count(*) AS tombstones
ORDER BY name, saltId
