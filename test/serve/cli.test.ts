import assert from 'node:assert/strict';
import { runReadQuery } from '../../src/graph/read-query.js';
import { isLoopbackHost } from '../../src/serve/loopback-host.js';
import { expectCliError, runTraceprop, startTraceprop } from '../support/cli.js';
import { useCleanGraph } from '../support/graph.js';
import { uniqueQueueName } from '../support/queue.js';
import { call, removeServerQueues } from './serve-harness.js';

describe('traceprop token and traceprop serve (CLI)', function () {
  this.timeout(120_000);
  const graph = useCleanGraph();

  it('tells loopback hosts from the others', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.1.2.3', '::ffff:127.0.0.1'])
      assert.equal(isLoopbackHost(host), true, host);
    for (const host of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.com', '128.0.0.1', ''])
      assert.equal(isLoopbackHost(host), false, host);
  });

  it('refuses to listen beyond loopback while no token exists', async () => {
    const run = await runTraceprop(['serve', '--host', '0.0.0.0', '--port', '0', '--json']);
    expectCliError(run, 'serve.notLoopback', /no API token exists/, 2);
    assert.equal(run.stdout, '', 'it never listened');
  });

  it('creates (the secret once), lists and revokes tokens', async () => {
    const created = (
      await runTraceprop(['token', 'create', '--role', 'auditor', '--name', 'cli auditor', '--json'])
    ).ok();
    const doc = created.json<{ token: string; id: string; role: string; name: string; createdBy: string }>();
    assert.match(doc.token, /^tp_[A-Za-z0-9_-]{43}$/);
    assert.equal(doc.role, 'auditor');
    assert.match(doc.createdBy, /^cli:/);
    const plain = (await runTraceprop(['token', 'create', '--role', 'admin', '--name', 'cli admin'])).ok();
    assert.match(plain.stdout.trim(), /^tp_[A-Za-z0-9_-]{43}$/, 'plain output is the secret alone');
    const list = (await runTraceprop(['token', 'list', '--json'])).ok();
    assert.ok(!list.stdout.includes(doc.token), 'the list never shows a secret');
    assert.ok(!list.stdout.includes('tp_'));
    const tokens = list.json<{ tokens: { id: string; name: string; revokedAt: string | null }[] }>().tokens;
    assert.deepEqual(tokens.map((t) => t.name).sort(), ['cli admin', 'cli auditor']);
    const [stored] = await runReadQuery(graph(), 'MATCH (t:ApiToken {id: $id}) RETURN t {.*} AS t', {
      id: doc.id,
    });
    assert.ok(!JSON.stringify(stored).includes(doc.token), 'the graph keeps no secret');
    assert.match((stored.t as { hash: string }).hash, /^[0-9a-f]{64}$/);
    const revoked = (await runTraceprop(['token', 'revoke', doc.id, '--json'])).ok();
    assert.ok(revoked.json<{ revokedAt: string }>().revokedAt);
    expectCliError(await runTraceprop(['token', 'revoke', 'tok_nope']), 'access.unknownToken');
    expectCliError(
      await runTraceprop(['token', 'create', '--role', 'root', '--name', 'x']),
      'access.badRole',
      undefined,
      2,
    );
  });

  it('serve --json prints its URL, serves, and on SIGTERM exits 0 with the access log written', async () => {
    const token = (
      await runTraceprop(['token', 'create', '--role', 'auditor', '--name', 'serve test', '--json'])
    )
      .ok()
      .json<{ token: string; id: string }>();
    const prefix = uniqueQueueName('serve-cli');
    const child = startTraceprop(['serve', '--port', '0', '--json'], {
      env: { TRACEPROP_QUEUE_PREFIX: prefix },
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.child.stdout?.on('data', (d) => {
          out += d;
          if (out.includes('\n')) resolve(out.split('\n')[0]);
        });
        child.exited.then(({ code }) => reject(new Error(`serve exited ${code}: ${child.stderr()}`)));
      });
      const started = JSON.parse(line) as { url: string; host: string; port: number };
      assert.equal(started.host, '127.0.0.1');
      assert.match(started.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const calls = 12;
      for (let i = 0; i < calls; i++) {
        const r = await call(started.url, 'GET', '/api/whoami', { token: token.token });
        assert.equal(r.status, 200, r.text);
      }
      assert.equal((await call(started.url, 'GET', '/api/whoami')).status, 401);
      // Straight away: the events are still in the buffer; the shutdown must write them.
      child.child.kill('SIGTERM');
      const exit = await child.exited;
      assert.equal(exit.code, 0, child.stderr());
      const [row] = await runReadQuery(
        graph(),
        "MATCH (e:AccessEvent {route: '/api/whoami'}) RETURN count(e) AS n, count(e.token) AS withToken",
      );
      assert.equal(Number(row.n), calls + 1, 'every call was written at shutdown');
      assert.equal(Number(row.withToken), calls);
      assert.ok(!child.log().includes(token.token), 'the secret is never logged');
      assert.match(child.stderr(), /shutting down/);
    } finally {
      if (child.child.exitCode === null) child.child.kill('SIGKILL');
      await removeServerQueues(prefix);
    }
  });
});
