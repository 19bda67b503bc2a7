// The log entry (and its statement) whose leaf hash is $leafHash: finds a statement given as a file.
// Parameters: $leafHash.
MATCH (e:LogEntry {leafHash: $leafHash})
OPTIONAL MATCH (st:Statement {logIndex: e.index})
RETURN st.id AS id, st.kind AS kind, e.index AS logIndex, st.ref AS ref,
       e.envelope AS envelope, e.leafHash AS leafHash, e.at AS at
LIMIT 1
