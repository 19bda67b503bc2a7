import assert from 'node:assert/strict';
import neo4j from 'neo4j-driver';
import { generateSigningKey } from '../../src/evidence/key-file.js';
import { trainRunModel } from '../../src/jobs/train/run-train-job.js';
import type { ModelReport } from '../../src/reports/report-types.js';
import { useTrainedRun } from '../models/ingested-run.js';
import { withTestSession } from '../support/graph.js';
import { testServices } from '../support/services.js';
import { call, useServedSuite } from './serve-harness.js';

/**
 * Issue 13 "Done when" (workbench): `GET /api/statements/:kind/:id` lists the signed statements
 * about a model, run or erasure with the verification the server computed (as `traceprop verify
 * statement` does), and `GET /api/reports/:kind/:id` serves the reports `traceprop report` makes.
 */
describe('traceprop serve: statements with their verification, and reports', function () {
  this.timeout(180_000);
  const { graph, suite } = useTrainedRun(90, 47);
  let signedModel: string;

  const served = useServedSuite(graph, {}, async () => {
    // A second version trained with a signing key: its `model` statement is logged.
    signedModel = (
      await trainRunModel({
        client: graph(),
        home: testServices().home,
        runId: suite.run.runId,
        lambda: 1e-2,
        signingKey: generateSigningKey(),
      })
    ).modelId;
  });
  const api = (path: string) => call(served.url, 'GET', path, { token: served.tokens.auditor });

  it('lists a signed model statement as verified against the newest tree head', async () => {
    const r = await api(`/api/statements/model/${encodeURIComponent(signedModel)}`);
    assert.equal(r.status, 200, r.text);
    const logged = await withTestSession(graph(), async (s) =>
      (
        await s.run('MATCH (st:Statement {ref: $m}) RETURN st.id AS id, st.logIndex AS i', { m: signedModel })
      ).records.map((x) => x.toObject()),
    );
    assert.equal(logged.length, 1);
    assert.deepEqual(
      r.json.statements.map((s: { id: string; logIndex: number }) => [s.id, s.logIndex]),
      logged.map((x) => [x.id, Number(x.i)]),
    );
    const [s] = r.json.statements;
    assert.equal(s.kind, 'model');
    assert.equal(s.verification, 'verified');
    assert.equal(s.error, null);
    assert.ok(s.treeSize > s.logIndex);
    // The unsigned first version and the run: nothing logged, an empty list (not an error).
    for (const path of [`/api/statements/model/${suite.modelId}`, `/api/statements/run/${suite.run.runId}`]) {
      const none = await api(path);
      assert.equal(none.status, 200, none.text);
      assert.deepEqual(none.json.statements, []);
    }
  });

  it('a changed log entry is listed as failed, with the error verify names', async () => {
    const path = `/api/statements/model/${encodeURIComponent(signedModel)}`;
    const [s] = (await api(path)).json.statements;
    const tamper = (cypher: string) =>
      withTestSession(graph(), (session) => session.run(cypher, { i: neo4j.int(s.logIndex) }));
    await tamper('MATCH (e:LogEntry {index: $i}) SET e.envelope = e.envelope + " "');
    try {
      const r = await api(path);
      assert.equal(r.status, 200);
      assert.equal(r.json.statements[0].verification, 'failed');
      assert.equal(r.json.statements[0].error.code, 'evidence.leafMismatch');
    } finally {
      await tamper(
        'MATCH (e:LogEntry {index: $i}) SET e.envelope = substring(e.envelope, 0, size(e.envelope) - 1)',
      );
    }
    assert.equal((await api(path)).json.statements[0].verification, 'verified');
  });

  it('serves the model report in JSON, Markdown, HTML and PDF as `traceprop report` renders it', async () => {
    const base = `/api/reports/model/${encodeURIComponent(signedModel)}`;
    const json = await api(`${base}?format=json`);
    assert.equal(json.status, 200, json.text);
    assert.match(json.headers.get('content-type') ?? '', /^application\/json/);
    const report = json.json as ModelReport;
    assert.equal(report.model.id, signedModel);
    assert.deepEqual(
      report.statements.map((s) => s.kind),
      ['model'],
    );
    const md = await api(`${base}?format=md`);
    assert.match(md.headers.get('content-type') ?? '', /^text\/markdown/);
    assert.ok(md.text.includes(signedModel));
    const html = await api(base);
    assert.match(html.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(html.text, /^<!DOCTYPE html>/);
    assert.ok(!html.text.includes('<script'), 'no script in the report page');
    const pdf = await fetch(`${served.url}${base}?format=pdf`, {
      headers: { authorization: `Bearer ${served.tokens.auditor}` },
    });
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    assert.equal(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString('latin1'),
      '%PDF-',
    );
    const run = await api(`/api/reports/run/${encodeURIComponent(suite.run.runId)}?format=json`);
    assert.equal(run.status, 200, run.text);
    assert.equal(run.json.run.id, suite.run.runId);
  });

  it('unknown ids are 404; no token is 401; both routes are in the OpenAPI document', async () => {
    const owner = await api('/api/statements/erasure/no-such-request');
    assert.equal(owner.status, 404);
    assert.equal(owner.json.error.code, 'evidence.unknownOwner');
    const report = await api('/api/reports/model/no-such-model?format=json');
    assert.equal(report.status, 404);
    assert.equal(report.json.error.code, 'report.unknownId');
    const badKind = await api('/api/statements/sample/x');
    assert.equal(badKind.status, 400);
    for (const path of [`/api/statements/model/${signedModel}`, `/api/reports/model/${signedModel}`]) {
      const none = await call(served.url, 'GET', path);
      assert.equal(none.status, 401);
      assert.equal(none.json.error.code, 'access.unauthorized');
    }
    const doc = (await call(served.url, 'GET', '/api/openapi.json')).json;
    assert.ok(doc.paths['/api/statements/{kind}/{id}']?.get);
    assert.ok(doc.paths['/api/reports/{kind}/{id}']?.get);
  });
});
