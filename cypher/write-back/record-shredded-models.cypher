// Records model versions whose parameters an erasure deleted (the artifact's model.json keeps
// their hashes): `paramsShreddedBy` (the request whose rows they held) and `paramsShreddedAt`.
// Idempotent: an earlier record stays.
// Parameters: $shredded (list of {id, requestId, at} maps).
UNWIND $shredded AS x
MATCH (m:Model {id: x.id})
SET m.paramsShreddedBy = coalesce(m.paramsShreddedBy, x.requestId),
    m.paramsShreddedAt = coalesce(m.paramsShreddedAt, datetime(x.at))
RETURN count(m) AS recorded
