// Unlearning: "Under which table and key column were rows with business keys erased, and with
// which salt were their key hashes made?" Resolving a key that matches no live SourceRow hashes it
// once per (table, key column) found here, and the salts are checked against the deployment's.
// Parameters: $table (logical table or key column as the request names it, or null for any).
MATCH (t:Tombstone)
WHERE t.keyHash IS NOT NULL AND ($table IS NULL OR t.table = $table OR t.keyColumn = $table)
RETURN t.table AS table, t.keyColumn AS keyColumn, t.saltId AS saltId, count(*) AS tombstones
ORDER BY table, keyColumn, saltId
