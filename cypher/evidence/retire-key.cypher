// Ends a signing key's validity at $at (a rotation): later statements must be signed by its
// successor.
// Parameters: $id, $at (ISO time).
MATCH (k:SigningKey {id: $id})
SET k.to = $at
RETURN k.id AS id
