import assert from 'node:assert/strict';
import { applySchema, readSchemaStatements } from '../../src/graph/schema.js';
import { useCleanGraph, withTestSession } from '../support/graph.js';

describe('graph schema', () => {
  const graph = useCleanGraph();

  it('applies idempotently: a second run creates nothing new', async () => {
    const before = await listConstraints();
    const statements = await applySchema(graph());
    const after = await listConstraints();
    assert.equal(statements, readSchemaStatements().length);
    assert.deepEqual(after, before);
  });

  it('enforces the uniqueness of SourceFile ids', async () => {
    await withTestSession(graph(), async (session) => {
      await session.run("CREATE (:SourceFile {id: 'dup-file'})");
      await assert.rejects(session.run("CREATE (:SourceFile {id: 'dup-file'})"), /already exists/);
      await session.run("MATCH (f:SourceFile {id: 'dup-file'}) DELETE f");
    });
  });

  it('has a uniqueness constraint for every keyed label of the design', async () => {
    const constraints = await listConstraints();
    for (const label of [
      'SourceFile',
      'SourceRow',
      'Run',
      'Op',
      'Sample',
      'Model',
      'Prediction',
      'UnlearningRequest',
      'JobRun',
      'Pipeline',
    ]) {
      assert.ok(
        constraints.some((c) => c.startsWith(`${label}.`)),
        `missing constraint on ${label}`,
      );
    }
  });

  async function listConstraints(): Promise<string[]> {
    return withTestSession(graph(), async (session) => {
      const result = await session.run(
        'SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type RETURN labelsOrTypes[0] + "." + properties[0] + ":" + type AS c ORDER BY c',
      );
      return result.records.map((r) => r.get('c') as string);
    });
  }
});
