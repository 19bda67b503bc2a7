// Which salts the key hashes of the tombstones were made with (by fingerprint), and how many
// tombstones each: a salt other than the deployment's means those erased records would no
// longer be recognised in a new extract.
// Parameters: none.
MATCH (t:Tombstone)
WHERE t.keyHash IS NOT NULL
RETURN t.saltId AS saltId, count(*) AS tombstones
ORDER BY saltId
