import assert from 'node:assert/strict';
import { z } from 'zod';
import { NotFoundError } from '../../src/errors.js';
import { runReadQuery } from '../../src/graph/read-query.js';
import type { AnyWorkbenchRouteQuery } from '../../src/serve/register-workbench-routes.js';
import type { WorkbenchQuery } from '../../src/workbench/workbench-queries.js';
import { useCleanGraph } from '../support/graph.js';
import { call, useServedSuite } from './serve-harness.js';

/** A sample by id, from the graph: 404 when there is none. */
const sampleById: WorkbenchQuery<{ id: string; top: number }> = {
  name: 'testSample',
  path: '/api/test-samples/:id',
  summary: 'A sample and a number (test table)',
  params: z.object({ id: z.string().min(1).max(50), top: z.coerce.number().int().min(1).max(10).default(3) }),
  async run(client, params) {
    const rows = await runReadQuery(client, 'MATCH (s:Sample {id: $id}) RETURN s.split AS split', {
      id: params.id,
    });
    if (rows.length === 0) throw new NotFoundError('trace.noPrediction', `no sample ${params.id}`);
    return { id: params.id, split: rows[0].split, top: params.top };
  },
};

/** A query whose schema is not an object: documented without parameters, still validated. */
const echo: WorkbenchQuery<unknown> = {
  name: 'testEcho',
  path: '/api/test-echo',
  summary: 'Echoes its parameters (test table)',
  params: z.any().refine((v) => typeof v === 'object', 'an object'),
  async run(_client, params) {
    return { params };
  },
};

const table: readonly AnyWorkbenchRouteQuery[] = [sampleById, echo];

describe('traceprop serve: workbench routes registered from a table', function () {
  this.timeout(120_000);
  const graph = useCleanGraph();

  const served = useServedSuite(graph, { workbenchQueries: table }, async () => {
    const session = graph().driver.session({ database: graph().database });
    try {
      await session.run("CREATE (:Sample {id: 's-1', split: 'train'})");
    } finally {
      await session.close();
    }
  });

  it('answers with the query, path and query parameters merged and validated', async () => {
    const r = await call(served.url, 'GET', '/api/test-samples/s-1?top=5', {
      token: served.tokens.auditor,
    });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { id: 's-1', split: 'train', top: 5 });
    const defaulted = await call(served.url, 'GET', '/api/test-samples/s-1', {
      token: served.tokens.auditor,
    });
    assert.equal(defaulted.json.top, 3);
    const shadow = await call(served.url, 'GET', '/api/test-samples/s-1?id=s-2', {
      token: served.tokens.auditor,
    });
    assert.equal(shadow.json.id, 's-1', 'path parameters win over the query string');
  });

  it('answers 400 workbench.badInput for bad parameters and 404 for a NotFoundError', async () => {
    const bad = await call(served.url, 'GET', '/api/test-samples/s-1?top=99', {
      token: served.tokens.auditor,
    });
    assert.equal(bad.status, 400, bad.text);
    assert.equal(bad.json.error.code, 'workbench.badInput');
    assert.match(bad.json.error.message, /^testSample \(\/api\/test-samples\/:id\): top: /);
    const injected = await call(
      served.url,
      'GET',
      `/api/test-samples/${encodeURIComponent("x'}) DETACH DELETE s //")}`,
      {
        token: served.tokens.auditor,
      },
    );
    assert.equal(injected.status, 404, injected.text);
    const [count] = await runReadQuery(graph(), 'MATCH (s:Sample) RETURN count(s) AS n');
    assert.equal(Number(count.n), 1);
    const missing = await call(served.url, 'GET', '/api/test-samples/s-9', {
      token: served.tokens.auditor,
    });
    assert.equal(missing.status, 404);
    assert.equal(missing.json.error.code, 'trace.noPrediction');
    const echoed = await call(served.url, 'GET', '/api/test-echo?a=1', {
      token: served.tokens.auditor,
    });
    assert.deepEqual(echoed.json, { params: { a: '1' } });
  });

  it('checks the caller of every workbench route', async () => {
    for (const path of ['/api/test-samples/s-1', '/api/test-echo']) {
      assert.equal((await call(served.url, 'GET', path)).status, 401);
      assert.equal((await call(served.url, 'GET', path, { token: served.tokens.revoked })).status, 401);
      assert.equal((await call(served.url, 'GET', path, { token: served.tokens.auditor })).status, 200);
    }
  });

  it('publishes the routes in the OpenAPI document', async () => {
    const doc = (await call(served.url, 'GET', '/api/openapi.json')).json;
    const get = doc.paths['/api/test-samples/{id}'].get;
    assert.equal(get.summary, 'A sample and a number (test table)');
    assert.equal(get.operationId, 'testSample');
    const names = get.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`).sort();
    assert.deepEqual(names, ['path:id', 'query:top']);
    assert.ok(doc.paths['/api/test-echo'].get);
  });
});
