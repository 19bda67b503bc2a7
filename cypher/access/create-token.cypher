// Access: records a new API token; only the sha256 of its secret is kept.
// Parameters: $id, $name, $role (auditor, operator or admin), $hash (hex sha256 of the secret), $createdBy.
CREATE (t:ApiToken {id: $id, name: $name, role: $role, hash: $hash, createdAt: datetime(), createdBy: $createdBy})
RETURN t {.id, .name, .role, .createdBy, createdAt: toString(t.createdAt)} AS token
