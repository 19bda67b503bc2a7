// Publishes a signing key's public half: MERGEs the SigningKey by its id (hex sha256 of the SPKI
// DER); a new one starts being valid at $at.
// Parameters: $id, $publicKey (SPKI PEM), $at (ISO time).
MERGE (k:SigningKey {id: $id})
  ON CREATE SET k.publicKey = $publicKey, k.from = $at
RETURN k.id AS id, k.publicKey = $publicKey AS same, k.to IS NOT NULL AS retired
