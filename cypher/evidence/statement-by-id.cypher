// A statement and its log entry, by statement id (hex sha256 of the envelope as logged).
// Parameters: $id.
MATCH (st:Statement {id: $id})
OPTIONAL MATCH (e:LogEntry {index: st.logIndex})
RETURN st.id AS id, st.kind AS kind, st.logIndex AS logIndex, st.ref AS ref,
       e.envelope AS envelope, e.leafHash AS leafHash, e.at AS at
