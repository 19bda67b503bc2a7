// Access: revokes an API token (its first revocation time is kept); no row when there is no such
// token. `revokedNow` is false when it was revoked before (nothing changed).
// Parameters: $id.
MATCH (t:ApiToken {id: $id})
WITH t, t.revokedAt IS NULL AS revokedNow
SET t.revokedAt = coalesce(t.revokedAt, datetime())
RETURN t {.id, .name, .role, .createdBy, createdAt: toString(t.createdAt), lastUsedAt: toString(t.lastUsedAt),
          revokedAt: toString(t.revokedAt)} AS token, revokedNow
