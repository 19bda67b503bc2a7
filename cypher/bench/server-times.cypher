// Bench (serve): the server's own time of each call a token made to a route, as its access log
// keeps it (AccessEvent.ms: from the request's arrival to the answer sent).
// Parameters: $tokenId, $route (route pattern, e.g. `/api/predictions/:id/trace`).
MATCH (e:AccessEvent {token: $tokenId, route: $route})
RETURN e.ms AS ms
