// Every published signing key, oldest first: id, public key (PEM), valid from, valid to.
// Parameters: none.
MATCH (k:SigningKey)
RETURN k.id AS id, k.publicKey AS publicKey, k.from AS from, k.to AS to
ORDER BY k.from, k.id
