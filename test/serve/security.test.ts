import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { hashTokenSecret } from '../../src/access/token-secret.js';
import { runReadQuery } from '../../src/graph/read-query.js';
import { guardRoutes } from '../../src/serve/guard-routes.js';
import type { ServeDeps } from '../../src/serve/serve-deps.js';
import { workbenchQueries } from '../../src/workbench/workbench-queries.js';
import { buildAttributionFixture } from '../queue/attribution-fixture.js';
import { useCleanGraph } from '../support/graph.js';
import { testServices } from '../support/services.js';
import { type CallResult, call, useServedSuite } from './serve-harness.js';

/** Every route of the API (the workbench's GET routes are tested in workbench-routes.test.ts). */
const routes: { method: string; path: string; role: 'auditor' | 'operator' | 'admin'; body?: unknown }[] = [
  { method: 'GET', path: '/api/whoami', role: 'auditor' },
  { method: 'GET', path: '/api/jobs/attribution-x', role: 'auditor' },
  { method: 'POST', path: '/api/cypher', role: 'auditor', body: { query: 'RETURN 1 AS one' } },
  {
    method: 'POST',
    path: '/api/erasures',
    role: 'operator',
    body: { target: { file: 'nope.csv', rows: [0] } },
  },
  { method: 'POST', path: '/api/attributions', role: 'operator', body: { modelId: 'no-such-model' } },
  { method: 'GET', path: '/api/tokens', role: 'admin' },
  {
    method: 'POST',
    path: '/api/tokens',
    role: 'admin',
    body: { name: 'made by the matrix', role: 'auditor' },
  },
  { method: 'DELETE', path: '/api/tokens/tok_nosuchtoken', role: 'admin' },
];

const weaker = { auditor: [], operator: ['auditor'], admin: ['auditor', 'operator'] } as const;

async function nodeCount(client: ReturnType<ReturnType<typeof useCleanGraph>>): Promise<number> {
  const [row] = await runReadQuery(client, 'MATCH (n) WHERE NOT n:AccessEvent RETURN count(n) AS n');
  return Number(row.n);
}

describe('traceprop serve: security', function () {
  this.timeout(120_000);
  const graph = useCleanGraph();
  const calls: CallResult[] = [];
  const track = async (r: Promise<CallResult>) => {
    const result = await r;
    calls.push(result);
    return result;
  };
  const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) =>
    track(call(served.url, method, path, options));

  const served = useServedSuite(
    graph,
    { bodyLimit: 4096, cypherRowLimit: 10, cypherTimeoutMs: 1500 },
    async () => {
      await buildAttributionFixture(graph(), testServices().home, 'sec', 20);
    },
  );

  it('answers /api/health and /api/openapi.json without a token', async () => {
    const health = await api('GET', '/api/health');
    assert.equal(health.status, 200, health.text);
    assert.deepEqual(health.json, { status: 'ok', neo4j: true, redis: true });
    const doc = await api('GET', '/api/openapi.json');
    assert.equal(doc.status, 200);
    assert.equal(doc.json.openapi, '3.1.0');
    for (const r of routes) {
      const templated = r.path.replace(/\/(attribution-x|tok_nosuchtoken)$/, '/{id}');
      assert.ok(
        doc.json.paths[templated]?.[r.method.toLowerCase()],
        `${r.method} ${templated} is in the OpenAPI document`,
      );
    }
    assert.ok(doc.json.paths['/api/cypher'].post.requestBody, 'the cypher body schema is published');
  });

  for (const r of routes) {
    it(`${r.method} ${r.path}: 401 without a token, with a revoked, an unknown or a malformed one`, async () => {
      const none = await api(r.method, r.path, { body: r.body });
      assert.equal(none.status, 401, none.text);
      assert.equal(none.json.error.code, 'access.unauthorized');
      for (const token of [
        served.tokens.revoked,
        `tp_${'A'.repeat(43)}`,
        'not-a-token',
        served.tokens.admin.slice(0, -1),
      ]) {
        const bad = await api(r.method, r.path, { token, body: r.body });
        assert.equal(bad.status, 401, `${token.slice(0, 6)}…: ${bad.text}`);
        assert.equal(bad.json.error.code, 'access.unauthorized');
      }
      const basic = await api(r.method, r.path, {
        headers: { authorization: `Basic ${served.tokens.admin}` },
        body: r.body,
      });
      assert.equal(basic.status, 401, 'only Bearer tokens are read');
    });

    it(`${r.method} ${r.path}: 403 for a role below ${r.role}, admitted for ${r.role}`, async () => {
      for (const role of weaker[r.role]) {
        const refused = await api(r.method, r.path, { token: served.tokens[role], body: r.body });
        assert.equal(refused.status, 403, `${role}: ${refused.text}`);
        assert.equal(refused.json.error.code, 'access.forbidden');
      }
      const admitted = await api(r.method, r.path, { token: served.tokens[r.role], body: r.body });
      assert.ok(![401, 403].includes(admitted.status), `${r.role}: ${admitted.status} ${admitted.text}`);
    });
  }

  it('checks the caller of every workbench read route (401 without a token or with a revoked one)', async () => {
    assert.ok(workbenchQueries.length >= 10, 'the real table is registered');
    const doc = (await api('GET', '/api/openapi.json')).json;
    for (const query of workbenchQueries) {
      const path = query.path.replace(/:[A-Za-z_]+/g, 'x');
      assert.ok(
        doc.paths[query.path.replace(/:([A-Za-z_]+)/g, '{$1}')]?.get,
        `${query.path} is in the OpenAPI document`,
      );
      for (const token of [undefined, served.tokens.revoked]) {
        const r = await api('GET', path, { token });
        assert.equal(r.status, 401, `${path}: ${r.text}`);
      }
      const admitted = await api('GET', path, { token: served.tokens.auditor });
      assert.ok(![401, 403].includes(admitted.status), `${path}: ${admitted.status} ${admitted.text}`);
      assert.ok(admitted.status < 500, `${path}: ${admitted.status} ${admitted.text}`);
    }
  });

  it('refuses every writing query through /api/cypher and leaves the database unchanged', async () => {
    const before = await nodeCount(graph());
    const writes: [string, string][] = [
      ['CREATE (n:Evil {at: 1}) RETURN n', 'cypher.writeRefused'],
      ["MERGE (n:Evil {id: 'x'}) RETURN n", 'cypher.writeRefused'],
      ["MATCH (t:ApiToken) SET t.role = 'admin' RETURN t.id", 'cypher.writeRefused'],
      ['MATCH (n:SourceRow) DETACH DELETE n', 'cypher.writeRefused'],
      ['MATCH (n:SourceRow) WITH n LIMIT 1 DELETE n', 'cypher.writeRefused'],
      ["CALL db.createLabel('Evil')", 'cypher.procedureRefused'],
      ["CALL db.createProperty('evil')", 'cypher.procedureRefused'],
      ["LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line", 'cypher.loadCsvRefused'],
      [
        "LOAD CSV FROM 'http://127.0.0.1:1/x.csv' AS line CREATE (:Evil {line: line})",
        'cypher.loadCsvRefused',
      ],
      ['CALL { CREATE (:Evil) } IN TRANSACTIONS', 'cypher.commandRefused'],
      ['CREATE INDEX evil IF NOT EXISTS FOR (n:Evil) ON (n.x)', 'cypher.commandRefused'],
      ['MATCH (n) // a comment\nCREATE (m:Evil) RETURN m', 'cypher.writeRefused'],
    ];
    for (const [query, code] of writes) {
      const r = await api('POST', '/api/cypher', { token: served.tokens.admin, body: { query } });
      assert.equal(r.status, 400, `${query}: ${r.text}`);
      assert.equal(r.json.error.code, code, `${query}: ${r.text}`);
      assert.match(r.json.error.message, /refused|read access mode/);
    }
    assert.equal(await nodeCount(graph()), before, 'no node created or deleted');
    const [row] = await runReadQuery(graph(), "MATCH (t:ApiToken {role: 'admin'}) RETURN count(t) AS n");
    assert.equal(Number(row.n), 1, 'no token was promoted');
  });

  it('runs reads with parameters only: injected values stay values, bad names are refused', async () => {
    const injected = "x' OR 1=1 RETURN t //";
    const r = await api('POST', '/api/cypher', {
      token: served.tokens.auditor,
      body: {
        query: 'MATCH (t:ApiToken) WHERE t.name = $name RETURN count(t) AS n',
        params: { name: injected },
      },
    });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.rows, [{ n: 0 }]);
    const named = await api('POST', '/api/cypher', {
      token: served.tokens.auditor,
      body: { query: 'RETURN 1 AS one', params: { 'x} RETURN 1 //': 1 } },
    });
    assert.equal(named.status, 400, named.text);
    assert.equal(named.json.error.code, 'cypher.badParam');
    const missing = await api('POST', '/api/cypher', {
      token: served.tokens.auditor,
      body: { query: 'MATCH (s:Sample {id: $id}) RETURN s.id AS id' },
    });
    assert.equal(missing.status, 400);
    assert.equal(missing.json.error.code, 'cypher.missingParameter');
    const typed = await api('POST', '/api/cypher', {
      token: served.tokens.auditor,
      body: { query: 'MATCH (s:Sample) RETURN s.id AS id ORDER BY s.index LIMIT $k', params: { k: 3 } },
    });
    assert.equal(typed.status, 200, typed.text);
    assert.equal(typed.json.rows.length, 3, 'whole numbers are sent as Cypher integers');
    const extra = await api('POST', '/api/cypher', {
      token: served.tokens.auditor,
      body: { query: 'RETURN 1 AS one', params: {}, database: 'system' },
    });
    assert.equal(extra.status, 400, 'unknown body members are refused');
    assert.equal(extra.json.error.code, 'serve.badRequest');
    for (const id of ['..%2F..%2Fetc%2Fpasswd', "x'})%20RETURN%201", '%00']) {
      const job = await api('GET', `/api/jobs/${id}`, { token: served.tokens.auditor });
      assert.equal(job.status, 404, `${id}: ${job.text}`);
      assert.equal(job.json.error.code, 'queue.jobNotFound');
    }
  });

  it('streams at most the row limit and says when it truncated', async () => {
    const r = await api('POST', '/api/cypher', {
      token: served.tokens.auditor,
      body: { query: 'UNWIND range(1, 25) AS i RETURN i' },
    });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.columns, ['i']);
    assert.equal(r.json.rows.length, 10);
    assert.equal(r.json.rowCount, 10);
    assert.equal(r.json.truncated, true);
    const small = await api('POST', '/api/cypher', {
      token: served.tokens.auditor,
      body: { query: 'UNWIND range(1, 3) AS i RETURN i' },
    });
    assert.equal(small.json.truncated, false);
    assert.deepEqual(small.json.rows, [{ i: 1 }, { i: 2 }, { i: 3 }]);
  });

  it('stops a query at its timeout', async () => {
    const started = Date.now();
    const r = await api('POST', '/api/cypher', {
      token: served.tokens.auditor,
      body: { query: 'UNWIND range(1, 2000000000) AS i WITH i WHERE i < 0 RETURN count(i) AS n' },
    });
    assert.ok(Date.now() - started < 20_000, 'stopped long before it could finish');
    const code = r.status === 200 ? r.json.error?.code : r.json.error.code;
    assert.equal(code, 'serve.queryTimeout', r.text);
    if (r.status !== 200) assert.equal(r.status, 400);
  });

  it('answers HEAD like GET: no token, no answer', async () => {
    for (const path of ['/api/whoami', '/api/tokens', '/api/jobs/x']) {
      const r = await api('HEAD', path);
      assert.equal(r.status, 401, path);
    }
    assert.equal((await api('HEAD', '/api/whoami', { token: served.tokens.auditor })).status, 200);
    assert.equal((await api('HEAD', '/api/tokens', { token: served.tokens.operator })).status, 403);
  });

  it('refuses to register a route that does not say who may call it', async () => {
    const app = Fastify();
    guardRoutes(app, {} as ServeDeps);
    assert.throws(() => app.get('/api/open', async () => 'x'), /declares no config\.access/);
    app.get('/api/declared', { config: { access: 'auditor' } }, async () => 'x');
    await app.close();
  });

  it('answers 413 for a body over the limit and 400 with a clear message for malformed JSON', async () => {
    const big = await api('POST', '/api/cypher', {
      token: served.tokens.auditor,
      body: { query: `RETURN '${'x'.repeat(10_000)}' AS big` },
    });
    assert.equal(big.status, 413, big.text);
    assert.equal(big.json.error.code, 'serve.bodyTooLarge');
    const malformed = await api('POST', '/api/cypher', {
      token: served.tokens.auditor,
      raw: '{"query": "RETURN 1",',
    });
    assert.equal(malformed.status, 400, malformed.text);
    assert.equal(malformed.json.error.code, 'serve.badJson');
    assert.match(malformed.json.error.message, /^the request body is not valid JSON: .*JSON/);
    const empty = await api('POST', '/api/cypher', { token: served.tokens.auditor, raw: '' });
    assert.equal(empty.status, 400, empty.text);
    assert.equal(empty.json.error.code, 'serve.badJson');
    assert.match(empty.json.error.message, /empty/);
    const proto = await api('POST', '/api/cypher', {
      token: served.tokens.auditor,
      raw: '{"query": "RETURN $x AS x", "params": {"__proto__": {"admin": true}}}',
    });
    assert.equal(proto.status, 400, proto.text);
    assert.match(proto.json.error.message, /__proto__/);
    const form = await api('POST', '/api/cypher', {
      token: served.tokens.auditor,
      raw: 'query=RETURN+1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(form.status, 415, form.text);
    assert.equal(form.json.error.code, 'serve.unsupportedMediaType');
  });

  it('sends no CORS headers, on answers or on preflights', async () => {
    const origin = { origin: 'https://evil.example' };
    const get = await api('GET', '/api/whoami', { token: served.tokens.auditor, headers: origin });
    assert.equal(get.status, 200);
    assert.equal(get.headers.get('access-control-allow-origin'), null);
    const preflight = await api('OPTIONS', '/api/cypher', {
      headers: {
        ...origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    });
    assert.notEqual(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    assert.equal(preflight.headers.get('access-control-allow-headers'), null);
  });

  it('keeps every call in the access log, with token ids and never a secret', async () => {
    await served.server.server.close();
    const events = await runReadQuery(
      graph(),
      'MATCH (e:AccessEvent) RETURN e {.*, at: toString(e.at)} AS e ORDER BY e.at',
    );
    assert.equal(events.length, calls.length, 'one event per call');
    const byStatus = (status: number) =>
      events.filter((e) => (e.e as { status: number }).status === status).length;
    for (const status of [200, 401, 403, 413]) {
      assert.equal(
        byStatus(status),
        calls.filter((c) => c.status === status).length,
        `events with status ${status}`,
      );
    }
    const secrets = [
      served.tokens.auditor,
      served.tokens.operator,
      served.tokens.admin,
      served.tokens.revoked,
    ];
    const hashes = secrets.map(hashTokenSecret);
    const text = JSON.stringify(events);
    for (const secret of [...secrets, ...hashes])
      assert.ok(!text.includes(secret), 'no secret or hash in the access log');
    assert.ok(!text.includes('tp_'), 'nothing shaped like a token in the access log');
    const auditorEvents = events.filter(
      (e) => (e.e as { token: string | null }).token === served.tokens.ids.auditor,
    );
    assert.ok(auditorEvents.length > 5, 'calls are attributed to the token id');
    const sample = auditorEvents[0].e as Record<string, unknown>;
    for (const key of ['at', 'token', 'role', 'method', 'route', 'path', 'status', 'ms'])
      assert.ok(key in sample, key);
    const logs = served.server.logs.join('');
    for (const secret of secrets) assert.ok(!logs.includes(secret), 'no secret in the server log');
    assert.match(logs, /refused: no valid token \(401\)/);
    assert.match(logs, /refused: role too weak \(403\)/);
    const [used] = await runReadQuery(
      graph(),
      'MATCH (t:ApiToken {id: $id}) RETURN t.lastUsedAt IS NOT NULL AS used',
      {
        id: served.tokens.ids.auditor,
      },
    );
    assert.equal(used.used, true, 'the access log moves lastUsedAt');
  });
});
