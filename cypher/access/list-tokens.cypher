// Access: every API token (never its hash), oldest first, with its last use and revocation.
// Parameters: none.
MATCH (t:ApiToken)
RETURN t {.id, .name, .role, .createdBy, createdAt: toString(t.createdAt), lastUsedAt: toString(t.lastUsedAt),
          revokedAt: toString(t.revokedAt)} AS token
ORDER BY t.createdAt, t.id
