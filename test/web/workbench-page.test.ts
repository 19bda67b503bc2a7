import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import { type Browser, chromium, type Page } from 'playwright-core';
import { packageRoot } from '../../src/config.js';
import { generateSigningKey } from '../../src/evidence/key-file.js';
import { type PredictionTrace, tracePrediction } from '../../src/graph/queries/trace-prediction.js';
import { runAttributionJob } from '../../src/jobs/attribution/run-attribution-job.js';
import { runUnlearningInProcess } from '../../src/jobs/unlearning/run-unlearning-in-process.js';
import { recordUnlearningRequest } from '../../src/jobs/unlearning/unlearning-request-store.js';
import { useTrainedRun } from '../models/ingested-run.js';
import { call, createTestTokens, startTestServer, type TestServer } from '../serve/serve-harness.js';
import { runTraceprop } from '../support/cli.js';
import { withTestSession } from '../support/graph.js';
import { testServices } from '../support/services.js';

/** The page globals the tests read (this tsconfig has no DOM types; casts vanish when compiled). */
interface PageGlobals {
  location: { hash: string };
  sessionStorage: { getItem(key: string): string | null };
  document: {
    activeElement: { id: string } | null;
    getElementById(id: string): { dataset: Record<string, string | undefined> } | null;
  };
}

/** Where each view's screenshot goes (git-ignored). */
const screenshots = path.join(packageRoot, 'test-output', 'screenshots');
/** Debian's chromium (.ci/run installs it when missing). */
const chromiumPath = '/usr/bin/chromium';

/**
 * Issue 11 items 4 and 5: the workbench page in a real Chromium against a real server, Neo4j and
 * Redis, on a credit-risk run that was ingested, trained and attributed: the trace found by an
 * applicant's key shows what `traceprop trace --json` says, the lineage DAG draws the nodes the
 * API lists, and after an erasure the model timeline shows the new version and the erased row as
 * a skeleton (never its key).
 */
describe('workbench page in Chromium (issue 11 items 4-5)', function () {
  this.timeout(180_000);
  const { graph, suite } = useTrainedRun(160, 83);
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let token: string;
  let predictionId: string;
  let trace: PredictionTrace;
  /** Errors the page threw or logged: none is expected. */
  const pageErrors: string[] = [];
  afterEach(() => {
    assert.deepEqual(pageErrors.splice(0), [], 'the page logged no error');
  });

  /** Waits until the view of the page's current hash is drawn (and its DAG laid out, when it has one). */
  const drawn = async (dag?: string) => {
    // Functions, not strings: the page's content security policy forbids eval.
    await page.waitForFunction(
      () => {
        const g = globalThis as unknown as PageGlobals;
        const view = g.document.getElementById('view');
        return !!view && view.dataset.hash === g.location.hash && view.dataset.ready === 'true';
      },
      undefined,
      { timeout: 30_000 },
    );
    const error = await page.$('#view[data-view="error"]');
    assert.equal(error, null, `${page.url()}: ${await error?.textContent()}`);
    if (dag) await page.waitForSelector(`${dag}[data-laid-out="true"]`, { timeout: 30_000 });
  };
  /** Opens a hash route and waits until it is drawn. */
  const open = async (hash: string, dag?: string) => {
    await page.evaluate((h) => {
      (globalThis as unknown as PageGlobals).location.hash = h;
    }, hash);
    await drawn(dag);
  };
  const shoot = (name: string) =>
    page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });

  before(async function () {
    this.timeout(180_000);
    assert.ok(fs.existsSync(chromiumPath), `no Chromium at ${chromiumPath} (apt-get install chromium)`);
    const { home } = testServices();
    await runAttributionJob(
      { client: graph(), home, jobId: `web-attribution-${Date.now()}`, attempt: 1, progress: async () => {} },
      { modelId: suite.modelId, samples: 'test', top: 5, method: 'ns' },
    );
    const session = graph().driver.session({ database: graph().database });
    try {
      const result = await session.run(
        `MATCH (p:Prediction)-[:BY]->(:Model {id: $m}) WHERE EXISTS { (p)-[:INFLUENCED_BY]->() }
         RETURN p.id AS id ORDER BY id LIMIT 1`,
        { m: suite.modelId },
      );
      predictionId = result.records[0].get('id') as string;
    } finally {
      await session.close();
    }
    trace = await tracePrediction(graph(), { predictionId, top: 5 });
    token = (await createTestTokens(graph())).auditor;
    server = await startTestServer();
    fs.mkdirSync(screenshots, { recursive: true });
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (m) => {
      // The refused token of the first test is a 401 the browser reports; nothing else is expected.
      if (m.type() === 'error' && !/status of 401/.test(m.text()))
        pageErrors.push(`${m.text()} (${m.location().url})`);
    });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('asks for a token once, keeps it for the tab and refuses a wrong one', async () => {
    await page.goto(server.url);
    await page.waitForSelector('#login');
    await page.fill('#token', 'tp_not-a-token');
    await page.press('#token', 'Enter');
    await page.waitForSelector('#login [role="alert"]');
    await page.fill('#token', token);
    await page.press('#token', 'Enter');
    await drawn();
    assert.match((await page.textContent('#who')) ?? '', /auditor/);
    assert.equal(
      await page.evaluate(() =>
        (globalThis as unknown as PageGlobals).sessionStorage.getItem('traceprop.token'),
      ),
      token,
    );
    await shoot('search-empty');
  });

  it('search an applicant key → the trace shows the top samples and source rows of `traceprop trace --json`', async () => {
    const key = trace.sample?.key;
    assert.ok(key, 'the traced prediction has an applicant key');
    // Keyboard: "/" jumps to the search box.
    await page.locator('main').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('/');
    assert.equal(
      await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.id),
      'search-box',
    );
    await page.keyboard.type(key);
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      (p) => (globalThis as unknown as PageGlobals).location.hash.startsWith(p),
      '#/search?',
    );
    await drawn();
    await shoot('search-results');
    const first = await page.$eval('#results li', (li) => [
      li.getAttribute('data-kind'),
      li.getAttribute('data-id'),
    ]);
    assert.equal(first[0], 'prediction');
    const hit = page.locator(`#results li[data-id="${predictionId}"] a`);
    await hit.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      (p) => (globalThis as unknown as PageGlobals).location.hash.startsWith(p),
      '#/trace/',
    );
    await drawn('#ops-dag');

    const cli = await runTraceprop(['trace', predictionId, '--top', '10', '--json']);
    assert.equal(cli.code, 0, cli.stderr);
    const expected = cli.json() as PredictionTrace;
    const samples = await page.$$eval('tr[data-sample]', (rows) =>
      rows.map((r) => r.getAttribute('data-sample')),
    );
    assert.deepEqual(
      samples,
      expected.influences.map((i) => i.sample),
    );
    assert.ok(samples.length >= 3, 'the trace has top samples');
    const bars = await page.$$eval(
      'section[aria-labelledby="h-influence"] svg g[data-label]',
      (g) => g.length,
    );
    assert.equal(bars, samples.length, 'one bar per top sample');
    const rows = await page.$$eval('tr[data-row-id]', (trs) =>
      trs.map((tr) => [
        tr.getAttribute('data-rank'),
        tr.getAttribute('data-row-id'),
        tr.children[4].textContent,
      ]),
    );
    assert.deepEqual(
      rows,
      expected.influences.flatMap((i) =>
        i.sourceRows.map((r) => [String(i.rank), `${r.fileId}:${r.row}`, r.key ?? '—']),
      ),
    );
    const shares = await page.$$eval('section[aria-labelledby="h-shares"] svg g[data-label]', (g) =>
      g.map((x) => x.getAttribute('data-label')),
    );
    assert.deepEqual(
      shares,
      expected.shares.map((s) => s.file),
    );
    assert.equal(
      await page.getAttribute('#ops-dag', 'data-nodes'),
      String(expected.run.ops.length),
      'one DAG node per op',
    );
    await shoot('trace');
  });

  it('the lineage DAG draws the nodes /api/runs/:id/dag lists; a file expands to its rows', async () => {
    const runId = suite.run.runId;
    await open(`#/run/${encodeURIComponent(runId)}`, '#run-dag');
    const dag = await call(server.url, 'GET', `/api/runs/${encodeURIComponent(runId)}/dag`, { token });
    assert.equal(dag.status, 200);
    assert.ok(dag.json.nodes.length >= 5);
    assert.equal(await page.getAttribute('#run-dag', 'data-nodes'), String(dag.json.nodes.length));
    assert.equal(await page.locator('tr[data-node]').count(), dag.json.nodes.length);
    await shoot('run-dag');
    const file = dag.json.nodes.find((n: { kind: string; name: string }) => n.name === 'application.csv');
    await page.locator(`tr[data-node="${file.id}"] a`).click();
    await page.waitForFunction(() =>
      (globalThis as unknown as PageGlobals).location.hash.includes('expand='),
    );
    await drawn('#run-dag');
    const expanded = await call(
      server.url,
      'GET',
      `/api/runs/${encodeURIComponent(runId)}/dag?expand=${encodeURIComponent(file.id)}&limit=40`,
      { token },
    );
    const extra = expanded.json.expanded.rows.length + (expanded.json.expanded.truncated ? 1 : 0);
    assert.equal(await page.getAttribute('#run-dag', 'data-nodes'), String(dag.json.nodes.length + extra));
    await shoot('run-dag-expanded');
  });

  it('after an erasure: the timeline shows the new version, the erased row as a skeleton, metrics before/after', async () => {
    const { home } = testServices();
    const top = trace.influences[0];
    const row = top.sourceRows.find((r) => r.file === 'application.csv');
    assert.ok(row?.key, 'the top sample derives from an application row with a key');
    const requestId = `web-erasure-${Date.now()}`;
    const target = { table: 'application', keys: [row.key] };
    await recordUnlearningRequest(graph(), { id: requestId, mode: 'drop', target, verify: false });
    // Signed: the erasure's statement is logged (the key is published with its first entry).
    const outcome = await runUnlearningInProcess(
      graph(),
      home,
      { requestId, target, mode: 'drop' },
      undefined,
      undefined,
      undefined,
      generateSigningKey(),
    );
    assert.notEqual(outcome.modelId, suite.modelId);

    await open(`#/model/${encodeURIComponent(suite.modelId)}`);
    const versions = await page.$$eval('#timeline > li', (lis) =>
      lis.map((li) => [li.getAttribute('data-version'), li.getAttribute('data-model')]),
    );
    assert.deepEqual(versions, [
      ['1', suite.modelId],
      ['2', outcome.modelId],
    ]);
    const step = page.locator(
      `#timeline > li[data-model="${outcome.modelId}"] .erasure-step[data-erasure="${requestId}"]`,
    );
    assert.equal(await step.count(), 1, 'the erasure sits between the two versions');
    assert.equal(await step.locator('tr[data-erased="true"]').count(), 1, 'one erased row, as a skeleton');
    assert.equal((await step.locator('tr[data-erased="true"]').textContent())?.trim(), '', 'no content');
    assert.match((await page.textContent('#timeline')) ?? '', /test accuracy/);
    const body = (await page.textContent('body')) ?? '';
    assert.ok(!body.includes(row.key), 'the erased key is nowhere on the page');
    // Issue 13: each version lists its signed statements with the server's verification, and links its reports.
    const v2 = page.locator(`.evidence[data-evidence="model:${outcome.modelId}"]`);
    const badges = v2.locator('[data-verification]');
    assert.ok((await badges.count()) >= 1, 'the new version lists the erasure statement');
    assert.deepEqual(
      [...new Set(await badges.evaluateAll((els) => els.map((e) => e.getAttribute('data-verification'))))],
      ['verified'],
    );
    const listed = await call(
      server.url,
      'GET',
      `/api/statements/model/${encodeURIComponent(outcome.modelId)}`,
      {
        token,
      },
    );
    assert.equal(listed.status, 200);
    assert.equal(await badges.count(), listed.json.statements.length, 'one badge per listed statement');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      v2.locator('a[data-report="model:html"]').click(),
    ]);
    const html = fs.readFileSync((await download.path()) as string, 'utf8');
    assert.match(html, /^<!DOCTYPE html>/i);
    assert.ok(
      html.includes(`Model card and datasheet: ${outcome.modelId}`),
      'the HTML report of the new version',
    );
    await shoot('model-timeline');

    await open(`#/erasure/${encodeURIComponent(requestId)}`);
    assert.equal(await page.textContent('#erasure-status'), 'complete');
    const certificate = JSON.parse((await page.textContent('#erasure-certificate')) ?? 'null');
    assert.ok(certificate && typeof certificate === 'object', 'the certificate is shown as JSON');
    assert.equal(await page.locator('tr[data-erased="true"]').count(), 1);
    assert.ok(!((await page.textContent('body')) ?? '').includes(row.key));
    const erasureBadges = page.locator(`.evidence[data-evidence="erasure:${requestId}"] [data-verification]`);
    assert.equal(await erasureBadges.count(), 1, 'the erasure statement of the one line');
    assert.equal(await erasureBadges.getAttribute('data-verification'), 'verified');
    await shoot('erasure');
    // A changed log entry: the same listing now reports the statement failed, naming why.
    const [statement] = (
      await call(server.url, 'GET', `/api/statements/erasure/${encodeURIComponent(requestId)}`, { token })
    ).json.statements;
    const tamper = (cypher: string) =>
      withTestSession(graph(), (s) => s.run(cypher, { i: neo4j.int(statement.logIndex) }));
    await tamper('MATCH (e:LogEntry {index: $i}) SET e.envelope = e.envelope + " "');
    // Away and back: the same hash is not drawn again.
    await open(`#/model/${encodeURIComponent(outcome.modelId)}`);
    await open(`#/erasure/${encodeURIComponent(requestId)}`);
    assert.equal(await erasureBadges.getAttribute('data-verification'), 'failed');
    const failed = await call(server.url, 'GET', `/api/statements/erasure/${encodeURIComponent(requestId)}`, {
      token,
    });
    assert.equal(failed.json.statements[0].verification, 'failed');
    assert.equal(failed.json.statements[0].error.code, 'evidence.leafMismatch');
    await tamper(
      'MATCH (e:LogEntry {index: $i}) SET e.envelope = substring(e.envelope, 0, size(e.envelope) - 1)',
    );

    // The trace again: the erasure scrubbed the attribution computed with the erased sample
    // (INFLUENCED_BY to it is gone), so any erased row left in the trace is a skeleton, and the
    // erased key is in no cell.
    await open(`#/trace/${encodeURIComponent(predictionId)}`, '#ops-dag');
    const again = await call(
      server.url,
      'GET',
      `/api/predictions/${encodeURIComponent(predictionId)}/trace?k=10`,
      {
        token,
      },
    );
    const erasedRows = (again.json.influences as PredictionTrace['influences'])
      .flatMap((i) => i.sourceRows)
      .filter((r) => r.erased).length;
    const skeletons = page.locator('tr.skeleton[data-erased="true"]');
    assert.equal(await skeletons.count(), erasedRows, 'one skeleton per erased row of the trace');
    for (const text of await skeletons.allTextContents())
      assert.equal(text.replace(/\d/g, '').trim(), '', 'a skeleton shows only its rank');
    // No cell shows the erased key (the key may be a substring of other ids, so cells are compared whole).
    const cells = await page.$$eval('td', (tds) => tds.map((td) => td.textContent?.trim()));
    assert.ok(!cells.includes(row.key), 'the erased key is in no cell');
    await shoot('trace-after-erasure');
  });

  it('the timeline colours a metric change by whether it is better for that metric, not by its sign', async () => {
    // A two-version line whose metrics move both ways: a higher test loss is worse (red), a lower
    // train loss better (green), a higher test accuracy better, a lower train accuracy worse, a
    // changed row count neither.
    const tag = `web-metrics-${Date.now()}`;
    const [v1, v2] = [`${tag}-v1`, `${tag}-v2`];
    await withTestSession(graph(), (s) =>
      s.run(
        `CREATE (a:Model {id: $v1, version: 1, kind: 'logistic', status: 'superseded',
           testLoss: 0.40, trainLoss: 0.35, testAccuracy: 0.80, trainAccuracy: 0.84, trainRows: 120, testRows: 40})
         CREATE (b:Model {id: $v2, version: 2, kind: 'logistic', status: 'active',
           testLoss: 0.45, trainLoss: 0.30, testAccuracy: 0.82, trainAccuracy: 0.83, trainRows: 119, testRows: 40})
         CREATE (b)-[:SUPERSEDES]->(a)`,
        { v1, v2 },
      ),
    );
    try {
      await open(`#/model/${encodeURIComponent(v2)}`);
      // Rows found by their label and the change cell by position, so that the check holds for
      // any markup: what is asserted is the colour a reader sees.
      const rows = await page.locator('#timeline details table tbody tr').evaluateAll((trs) =>
        trs.map((tr) => {
          const cells = tr.querySelectorAll('td');
          const change = cells[cells.length - 1];
          const style = (
            globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }
          ).getComputedStyle(change);
          return [cells[0]?.textContent, change?.getAttribute('data-change'), style.color];
        }),
      );
      const green = 'rgb(46, 125, 50)';
      const red = 'rgb(164, 22, 26)';
      const byLabel = Object.fromEntries(rows.map(([label, change, color]) => [label, { change, color }]));
      assert.equal(byLabel['test loss']?.color, red, 'a higher test loss is drawn red (worse), not green');
      assert.equal(byLabel['train loss']?.color, green, 'a lower train loss is drawn green (better)');
      assert.equal(byLabel['test accuracy']?.color, green, 'a higher test accuracy is drawn green');
      assert.equal(byLabel['train accuracy']?.color, red, 'a lower train accuracy is drawn red');
      assert.ok(
        ![green, red].includes(byLabel['training rows']?.color),
        'a row count is neither good nor bad',
      );
      assert.ok(![green, red].includes(byLabel['test rows']?.color), 'an unchanged count is neither');
      assert.deepEqual(
        ['test loss', 'train loss', 'test accuracy', 'train accuracy', 'training rows', 'test rows'].map(
          (label) => byLabel[label]?.change,
        ),
        ['worse', 'better', 'better', 'worse', 'neutral', 'same'],
      );
      await shoot('model-metrics-change');
    } finally {
      await withTestSession(graph(), (s) =>
        s.run('MATCH (m:Model) WHERE m.id IN [$v1, $v2] DETACH DELETE m', { v1, v2 }),
      );
    }
  });
});
