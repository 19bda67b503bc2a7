// Access: the token whose secret hashes to $hash (revoked ones too: the caller refuses them).
// Parameters: $hash (hex sha256 of the presented secret).
MATCH (t:ApiToken {hash: $hash})
RETURN t {.id, .name, .role, revoked: t.revokedAt IS NOT NULL} AS token
