// The workbench's access control and access log (docs/workbench.md, docs/graph-schema.md): bearer
// tokens are found by the sha256 of their secret (never stored), events by time and token id.
// Parameters: none.
CREATE CONSTRAINT api_token_id IF NOT EXISTS FOR (t:ApiToken) REQUIRE t.id IS UNIQUE;
CREATE CONSTRAINT api_token_hash IF NOT EXISTS FOR (t:ApiToken) REQUIRE t.hash IS UNIQUE;
CREATE INDEX access_event_at IF NOT EXISTS FOR (e:AccessEvent) ON (e.at);
CREATE INDEX access_event_token IF NOT EXISTS FOR (e:AccessEvent) ON (e.token);
