import assert from 'node:assert/strict';
import { hasCode } from '../../src/errors.js';
import type { GraphClient } from '../../src/graph/connection.js';
import { runReadQuery, runReadRecords } from '../../src/graph/read-query.js';
import { useCleanGraph, withTestSession } from '../support/graph.js';
import { graphCounts } from '../support/graph-facts.js';

/** Schema objects, labels and users a refused write could have left behind. */
async function catalog(client: GraphClient): Promise<unknown> {
  return withTestSession(client, async (s) => {
    const indexes = await s.run('SHOW INDEXES YIELD name RETURN collect(name) AS n');
    const constraints = await s.run('SHOW CONSTRAINTS YIELD name RETURN collect(name) AS n');
    const labels = await s.run('CALL db.labels() YIELD label RETURN collect(label) AS n');
    const keys = await s.run('CALL db.propertyKeys() YIELD propertyKey RETURN collect(propertyKey) AS n');
    return [indexes, constraints, labels, keys].map((r) => [...(r.records[0].get('n') as string[])].sort());
  });
}

describe('graph: the read path (auto-commit in READ access mode) refuses writes', function () {
  this.timeout(120_000);
  const graph = useCleanGraph();

  before(async () => {
    await withTestSession(graph(), (s) =>
      s.run("CREATE (:Run {id: 'ro-run', status: 'complete'})<-[:OUTPUT_OF]-(:Sample {id: 'ro-run:s:0'})"),
    );
  });

  it('refuses every kind of write with cypher.writeRefused and changes nothing', async () => {
    const nodesBefore = await graphCounts(graph());
    const catalogBefore = await catalog(graph());
    const writes = [
      'CREATE (:Evil {x: 1})',
      'MATCH (n:Sample) DETACH DELETE n',
      "MATCH (r:Run) SET r.status = 'hacked'",
      'MATCH (r:Run) REMOVE r.status',
      'MERGE (:Run {id: "x"})',
      'FOREACH (i IN [1] | CREATE (:Evil {i: i}))',
      'CALL { CREATE (:Evil {x: 2}) }',
      // Only auto-commit queries may open inner transactions: the one place the two paths could differ.
      'UNWIND [1, 2] AS i CALL (i) { CREATE (:Evil {i: i}) } IN TRANSACTIONS OF 1 ROWS',
      'MATCH (n:Sample) CALL (n) { DETACH DELETE n } IN TRANSACTIONS',
      'USE neo4j CREATE (:Evil {x: 3})',
      'CREATE INDEX evil_index IF NOT EXISTS FOR (n:Evil) ON (n.x)',
      'CREATE CONSTRAINT evil_constraint IF NOT EXISTS FOR (n:Evil) REQUIRE n.x IS UNIQUE',
      "CALL db.createLabel('EvilLabel')",
      "CALL db.createProperty('evilProperty')",
      "CREATE USER evil SET PASSWORD 'evil-evil-evil'",
      'CREATE DATABASE evil',
      'STOP DATABASE neo4j',
    ];
    for (const cypher of writes) {
      await assert.rejects(
        runReadQuery(graph(), cypher),
        (err: unknown) => hasCode(err, 'cypher.writeRefused'),
        cypher,
      );
    }
    assert.deepEqual(await graphCounts(graph()), nodesBefore);
    assert.deepEqual(await catalog(graph()), catalogBefore);
    const system = graph().driver.session({ database: 'system' });
    try {
      const dbs = await system.run('SHOW DATABASES YIELD name, currentStatus RETURN name, currentStatus');
      assert.deepEqual(
        dbs.records.map((r) => [r.get('name'), r.get('currentStatus')]).sort(),
        [
          [graph().database, 'online'],
          ['system', 'online'],
        ].sort(),
      );
      const users = await system.run('SHOW USERS YIELD user RETURN collect(user) AS u');
      assert.ok(!(users.records[0].get('u') as string[]).includes('evil'));
    } finally {
      await system.close();
    }
  });

  it('runReadRecords returns driver records of a read', async () => {
    const [record] = await runReadRecords(
      graph(),
      'MATCH (s:Sample {id: $id})-[:OUTPUT_OF]->(r:Run) RETURN r.id AS run',
      {
        id: 'ro-run:s:0',
      },
    );
    assert.equal(record.get('run'), 'ro-run');
  });
});
