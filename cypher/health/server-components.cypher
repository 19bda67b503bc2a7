// Health check: "Does Neo4j answer, and which version and edition is it?" A plain auto-commit
// read (no retries), so an unreachable server is reported at once (the CLI's checks before it
// works on the graph).
// Parameters: none.
CALL dbms.components() YIELD versions, edition
RETURN versions[0] AS version, edition
