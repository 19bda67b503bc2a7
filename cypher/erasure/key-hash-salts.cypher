// Which salts the key and subject hashes of the tombstones were made with (by fingerprint), and
// how many tombstones each: a salt other than the deployment's means those erased records would
// no longer be recognised in a new extract, nor their subjects in a repeated request.
// Parameters: none.
MATCH (t:Tombstone)
WHERE t.keyHash IS NOT NULL OR t.subjectHash IS NOT NULL
RETURN t.saltId AS saltId, count(*) AS tombstones
ORDER BY saltId
