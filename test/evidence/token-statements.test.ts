import assert from 'node:assert/strict';
import { createApiToken, revokeApiToken } from '../../src/access/token-store.js';
import { generateSigningKey } from '../../src/evidence/key-file.js';
import { verifyStatement } from '../../src/evidence/verify-statement.js';
import { runReadQuery } from '../../src/graph/read-query.js';
import { useCleanGraph } from '../support/graph.js';

/** Issue 13 item 1: token changes are signed statements in the transparency log. */
describe('signed statements of API token changes', function () {
  this.timeout(120_000);
  const graph = useCleanGraph();
  const key = generateSigningKey();
  const tokenStatements = async () =>
    runReadQuery(
      graph(),
      "MATCH (s:Statement {kind: 'token'}) RETURN s.id AS id, s.ref AS ref ORDER BY s.logIndex",
    );

  it('creating and revoking a token each log one signed statement, with neither the secret nor its hash', async () => {
    const created = await createApiToken(
      graph(),
      { name: 'auditor A', role: 'auditor', createdBy: 'test' },
      key,
    );
    await revokeApiToken(graph(), created.id, key);
    await revokeApiToken(graph(), created.id, key); // already revoked: nothing new to sign
    const logged = await tokenStatements();
    assert.deepEqual(
      logged.map((s) => s.ref),
      [created.id, created.id],
    );
    const [made, revoked] = await Promise.all(logged.map((s) => verifyStatement(graph(), String(s.id))));
    assert.deepEqual(made.keyIds, [key.keyId]);
    assert.equal(made.statement.predicateType, 'https://traceprop.dev/token/v1');
    assert.deepEqual(
      {
        ...(made.statement.predicate as Record<string, unknown>),
        at: undefined,
        codeVersion: undefined,
      },
      {
        action: 'create',
        tokenId: created.id,
        name: 'auditor A',
        role: 'auditor',
        createdBy: 'test',
        at: undefined,
        codeVersion: undefined,
      },
    );
    assert.equal((revoked.statement.predicate as { action: string }).action, 'revoke');
    const [{ hash }] = await runReadQuery(graph(), 'MATCH (t:ApiToken {id: $id}) RETURN t.hash AS hash', {
      id: created.id,
    });
    for (const s of [made, revoked]) {
      const text = JSON.stringify(s.statement);
      assert.ok(!text.includes(created.token), 'the secret is not in the statement');
      assert.ok(!text.includes(String(hash)), "the secret's hash is not in the statement");
    }
  });

  it('without a signing key, token changes sign nothing', async () => {
    const before = (await tokenStatements()).length;
    const t = await createApiToken(graph(), { name: 'no key', role: 'operator', createdBy: 'test' });
    await revokeApiToken(graph(), t.id);
    assert.equal((await tokenStatements()).length, before);
  });
});
