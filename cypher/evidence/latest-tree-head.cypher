// The newest signed tree head (the largest size).
// Parameters: none.
MATCH (h:TreeHead)
WHERE h.size IS NOT NULL
RETURN h.size AS size, h.rootHash AS rootHash, h.at AS at, h.keyId AS keyId, h.signature AS signature
ORDER BY h.size DESC
LIMIT 1
