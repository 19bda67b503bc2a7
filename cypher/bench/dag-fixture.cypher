// Bench (serve): a run whose lineage DAG the page has to draw: one source file read by op 0, then
// the other ops, op i after op i - 1 and, every 7th, also after op i - 7 (a join), like a long
// pipeline. No samples.
// Parameters: $runId, $fileId, $ops (the number of ops, an integer ≥ 8).
CREATE (r:Run {id: $runId, pipeline: 'bench-dag', mode: 'op', status: 'complete'})
CREATE (f:SourceFile {id: $fileId, name: 'bench-dag.csv', path: '/data/bench-dag.csv', table: 'bench_dag', rows: 0})
CREATE (r)-[:HAS_OP]->(:Op {id: $runId + ':op:0', seq: 0, kind: 'load', name: 'load bench-dag.csv', params: '{}'})-[:READ]->(f)
WITH r
UNWIND range(1, $ops - 1) AS i
CREATE (r)-[:HAS_OP]->(op:Op {id: $runId + ':op:' + i, seq: i, kind: CASE WHEN i % 7 = 0 THEN 'join' ELSE 'map' END,
                              name: 'step ' + i, params: '{}'})
WITH op, i
MATCH (prev:Op {id: $runId + ':op:' + (i - 1)})
CREATE (op)-[:AFTER {position: 0}]->(prev)
WITH op, i WHERE i % 7 = 0
MATCH (other:Op {id: $runId + ':op:' + (i - 7)})
CREATE (op)-[:AFTER {position: 1}]->(other)
