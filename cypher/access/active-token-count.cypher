// Access: how many API tokens are not revoked (serving beyond loopback needs at least one).
// Parameters: none.
MATCH (t:ApiToken) WHERE t.revokedAt IS NULL
RETURN count(t) AS tokens
