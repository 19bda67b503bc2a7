import assert from 'node:assert/strict';
import { runReadQuery } from '../../src/graph/read-query.js';
import { buildAttributionFixture } from '../queue/attribution-fixture.js';
import { useCleanGraph } from '../support/graph.js';
import { testServices } from '../support/services.js';
import { call, useServedSuite } from './serve-harness.js';

describe('traceprop serve: erasure and attribution requests, jobs, token administration', function () {
  this.timeout(120_000);
  const graph = useCleanGraph();
  let modelId: string;

  const served = useServedSuite(graph, {}, async () => {
    ({ modelId } = await buildAttributionFixture(graph(), testServices().home, 'req', 20));
  });

  it('queues an erasure as the CLI does (202, a recorded request, a job), idempotent on the request id', async () => {
    const body = {
      requestId: 'erase-applicant-3',
      target: { file: 'applicants.csv', rows: [3] },
      mode: 'drop',
    };
    const first = await call(served.url, 'POST', '/api/erasures', {
      token: served.tokens.operator,
      body,
    });
    assert.equal(first.status, 202, first.text);
    assert.equal(first.json.requestId, 'erase-applicant-3');
    assert.equal(first.json.created, true);
    assert.match(first.json.jobId, /^unlearning-/);
    const [request] = await runReadQuery(
      graph(),
      'MATCH (u:UnlearningRequest {id: $id}) RETURN u.status AS status, u.mode AS mode, u.target AS target',
      { id: 'erase-applicant-3' },
    );
    assert.equal(request.status, 'queued');
    assert.equal(request.mode, 'drop');
    assert.deepEqual(JSON.parse(request.target as string), {
      file: 'app-req',
      rows: [3],
      fileName: 'applicants.csv',
    });
    const job = await call(served.url, 'GET', `/api/jobs/${first.json.jobId}`, {
      token: served.tokens.auditor,
    });
    assert.equal(job.status, 200, job.text);
    assert.equal(job.json.state, 'waiting');
    assert.equal(job.json.data.requestId, 'erase-applicant-3');
    assert.deepEqual(job.json.data.target, { file: 'app-req', rows: [3] });
    assert.equal(job.json.data.modelId, modelId);

    const again = await call(served.url, 'POST', '/api/erasures', {
      token: served.tokens.operator,
      body,
    });
    assert.equal(again.status, 202, again.text);
    assert.deepEqual(again.json, { requestId: 'erase-applicant-3', jobId: first.json.jobId, created: false });
    const other = await call(served.url, 'POST', '/api/erasures', {
      token: served.tokens.operator,
      body: { ...body, target: { file: 'applicants.csv', rows: [4] } },
    });
    assert.equal(other.status, 409, other.text);
    assert.equal(other.json.error.code, 'serve.requestIdConflict');
    const [count] = await runReadQuery(graph(), 'MATCH (u:UnlearningRequest) RETURN count(u) AS n');
    assert.equal(Number(count.n), 1, 'one request recorded');
  });

  it('refuses an erasure of rows that do not exist before recording anything, and frees the request id', async () => {
    const body = { requestId: 'erase-missing', target: { file: 'applicants.csv', rows: [999] } };
    const r = await call(served.url, 'POST', '/api/erasures', { token: served.tokens.operator, body });
    assert.ok([400, 404].includes(r.status), r.text);
    assert.match(r.json.error.code, /^unlearning\./);
    const unknown = await call(served.url, 'POST', '/api/erasures', {
      token: served.tokens.operator,
      body: { target: { file: 'nope.csv', rows: [0] } },
    });
    assert.equal(unknown.status, 404, unknown.text);
    assert.equal(unknown.json.error.code, 'unlearning.unknownFile');
    const bad = await call(served.url, 'POST', '/api/erasures', {
      token: served.tokens.operator,
      body: { target: { file: 'applicants.csv', rows: [-1] } },
    });
    assert.equal(bad.status, 400, bad.text);
    assert.equal(bad.json.error.code, 'serve.badRequest');
    const [count] = await runReadQuery(
      graph(),
      "MATCH (u:UnlearningRequest) WHERE u.id <> 'erase-applicant-3' RETURN count(u) AS n",
    );
    assert.equal(Number(count.n), 0, 'nothing recorded for refused requests');
    const retry = await call(served.url, 'POST', '/api/erasures', {
      token: served.tokens.operator,
      body: { ...body, target: { file: 'applicants.csv', rows: [5] } },
    });
    assert.equal(retry.status, 202, `the failed first call freed its id: ${retry.text}`);
  });

  it('refuses a request id that names an erasure recorded earlier, and leaves that request alone', async () => {
    const session = graph().driver.session({ database: graph().database });
    try {
      await session.run(
        "CREATE (:UnlearningRequest {id: 'made-by-the-cli', status: 'complete', mode: 'drop'})",
      );
    } finally {
      await session.close();
    }
    const r = await call(served.url, 'POST', '/api/erasures', {
      token: served.tokens.operator,
      body: { requestId: 'made-by-the-cli', target: { file: 'applicants.csv', rows: [7] } },
    });
    assert.equal(r.status, 409, r.text);
    assert.equal(r.json.error.code, 'serve.requestIdConflict');
    const [request] = await runReadQuery(
      graph(),
      "MATCH (u:UnlearningRequest {id: 'made-by-the-cli'}) RETURN u.status AS status",
    );
    assert.equal(request.status, 'complete');
  });

  it('gives concurrent calls with one request id one request and one job', async () => {
    const body = { requestId: 'erase-concurrently', target: { file: 'applicants.csv', rows: [9] } };
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        call(served.url, 'POST', '/api/erasures', { token: served.tokens.operator, body }),
      ),
    );
    for (const a of answers) assert.equal(a.status, 202, a.text);
    assert.equal(answers.filter((a) => a.json.created).length, 1, 'one call created the request');
    const [row] = await runReadQuery(
      graph(),
      "MATCH (u:UnlearningRequest {id: 'erase-concurrently'}) RETURN count(u) AS n",
    );
    assert.equal(Number(row.n), 1);
    const jobIds = new Set(answers.map((a) => a.json.jobId).filter(Boolean));
    assert.equal(jobIds.size, 1, 'every answer that names a job names the same one');
  });

  it('keeps injected text in erasure and attribution bodies as values', async () => {
    const before = await runReadQuery(graph(), 'MATCH (n) WHERE NOT n:AccessEvent RETURN count(n) AS n');
    for (const body of [
      { target: { keys: ["100001' OR 1=1 //"], table: 'applicants' } },
      { target: { file: "applicants.csv' }) DETACH DELETE (n) //", rows: [0] } },
      { target: { subject: '") MATCH (n) DETACH DELETE n //' } },
      { target: { sourceRowIds: ["app-req:0' OR true //"] } },
    ]) {
      const r = await call(served.url, 'POST', '/api/erasures', {
        token: served.tokens.operator,
        body,
      });
      assert.ok([400, 404].includes(r.status), `${JSON.stringify(body)}: ${r.status} ${r.text}`);
    }
    const attr = await call(served.url, 'POST', '/api/attributions', {
      token: served.tokens.operator,
      body: { modelId: "x'}) DETACH DELETE m //", samples: ["s' OR 1=1"] },
    });
    assert.equal(
      attr.status,
      202,
      'queued as given: the worker resolves the model by parameter and fails the job',
    );
    const after = await runReadQuery(graph(), 'MATCH (n) WHERE NOT n:AccessEvent RETURN count(n) AS n');
    assert.deepEqual(after, before, 'nothing written or deleted');
  });

  it('queues an attribution as the CLI does, one job per request id', async () => {
    const body = { requestId: 'attr-1', modelId, samples: 'test', top: 5 };
    const first = await call(served.url, 'POST', '/api/attributions', {
      token: served.tokens.operator,
      body,
    });
    assert.equal(first.status, 202, first.text);
    assert.equal(first.json.requestId, 'attr-1');
    assert.match(first.json.jobId, /^attribution-/);
    const job = await call(served.url, 'GET', `/api/jobs/${first.json.jobId}`, {
      token: served.tokens.auditor,
    });
    assert.deepEqual(job.json.data, { modelId, samples: 'test', top: 5, method: 'ns', requestId: 'attr-1' });
    const again = await call(served.url, 'POST', '/api/attributions', {
      token: served.tokens.operator,
      body,
    });
    assert.equal(again.status, 202);
    assert.equal(again.json.jobId, first.json.jobId);
    assert.equal(again.json.created, false);
    const conflict = await call(served.url, 'POST', '/api/attributions', {
      token: served.tokens.operator,
      body: { ...body, top: 6 },
    });
    assert.equal(conflict.status, 409, conflict.text);
    const anonymous = await call(served.url, 'POST', '/api/attributions', {
      token: served.tokens.operator,
      body: { modelId, top: 5 },
    });
    assert.equal(anonymous.status, 202);
    assert.equal(
      anonymous.json.requestId,
      anonymous.json.jobId,
      'without a request id the job id names the request',
    );
    const badMethod = await call(served.url, 'POST', '/api/attributions', {
      token: served.tokens.operator,
      body: { modelId, method: 'magic' },
    });
    assert.equal(badMethod.status, 400);
  });

  it('answers 404 for an unknown job', async () => {
    const r = await call(served.url, 'GET', '/api/jobs/attribution-0000', {
      token: served.tokens.auditor,
    });
    assert.equal(r.status, 404);
    assert.equal(r.json.error.code, 'queue.jobNotFound');
  });

  it('lets an admin create, list and revoke tokens; a revoked token stops at once', async () => {
    const created = await call(served.url, 'POST', '/api/tokens', {
      token: served.tokens.admin,
      body: { name: 'new auditor', role: 'auditor' },
    });
    assert.equal(created.status, 201, created.text);
    assert.match(created.json.token, /^tp_[A-Za-z0-9_-]{43}$/);
    assert.equal(created.json.createdBy, `token:${served.tokens.ids.admin}`);
    const who = await call(served.url, 'GET', '/api/whoami', { token: created.json.token });
    assert.deepEqual(who.json, { id: created.json.id, name: 'new auditor', role: 'auditor' });
    const list = await call(served.url, 'GET', '/api/tokens', { token: served.tokens.admin });
    assert.ok(list.json.tokens.some((t: { id: string }) => t.id === created.json.id));
    assert.ok(!list.text.includes('tp_'), 'the list holds no secret');
    assert.ok(!list.text.includes('hash'), 'the list holds no hash');
    const revoked = await call(served.url, 'DELETE', `/api/tokens/${created.json.id}`, {
      token: served.tokens.admin,
    });
    assert.equal(revoked.status, 200, revoked.text);
    assert.ok(revoked.json.revokedAt);
    const after = await call(served.url, 'GET', '/api/whoami', { token: created.json.token });
    assert.equal(after.status, 401);
    const unknown = await call(served.url, 'DELETE', '/api/tokens/tok_nope', {
      token: served.tokens.admin,
    });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error.code, 'access.unknownToken');
    const badRole = await call(served.url, 'POST', '/api/tokens', {
      token: served.tokens.admin,
      body: { name: 'x', role: 'root' },
    });
    assert.equal(badRole.status, 400);
  });
});
