// Access log: appends a batch of API calls as AccessEvent nodes and moves each token's last use
// forward. Events carry the token id, never its secret.
// Parameters: $events (list of {at (ISO time), token (token id or null), role, method, route, path, status, ms}).
UNWIND $events AS e
CREATE (a:AccessEvent {at: datetime(e.at), token: e.token, role: e.role, method: e.method, route: e.route,
                       path: e.path, status: toInteger(e.status), ms: e.ms})
WITH e WHERE e.token IS NOT NULL
WITH e.token AS id, max(datetime(e.at)) AS last
MATCH (t:ApiToken {id: id})
SET t.lastUsedAt = CASE WHEN t.lastUsedAt IS NULL OR t.lastUsedAt < last THEN last ELSE t.lastUsedAt END
