import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readErasureReport } from '../../src/reports/read-erasure-report.js';
import { readModelReport } from '../../src/reports/read-model-report.js';
import { readRunReport } from '../../src/reports/read-run-report.js';
import { renderReport } from '../../src/reports/render-report.js';
import type {
  BiasGroupRates,
  ErasureReport,
  ModelReport,
  RunReport,
} from '../../src/reports/report-types.js';
import { type CliResult, runTraceprop } from '../support/cli.js';
import { useCleanGraph, withTestSession } from '../support/graph.js';
import { csvDataRows, hostile, type ReportFixture, reportFixture, sha256File } from './support.js';

/**
 * Issue 13 item 4: `traceprop report model|erasure|run ID` against a real graph built through the
 * CLI (signed, certified, erased, attributed). Every number of the JSON reports is compared with a
 * Cypher count run here or with the files' bytes; Markdown and HTML carry those values; HTML
 * escapes a hostile file name and step description; PDF is a real PDF; an unknown id is a typed error.
 */
describe('traceprop report: model card, erasure certificate and run report from the graph', function () {
  this.timeout(300_000);
  const graph = useCleanGraph();
  let dir: string;
  let fx: ReportFixture;

  before(async function () {
    this.timeout(300_000);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-report-'));
    fx = await reportFixture(graph(), dir);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const report = (...args: string[]): Promise<CliResult> =>
    runTraceprop(['report', ...args], { env: fx.env });
  const rows = async (cypher: string, params: Record<string, unknown> = {}) =>
    withTestSession(graph(), async (s) => (await s.run(cypher, params)).records.map((r) => r.toObject()));

  describe('model', () => {
    let json: ModelReport;
    before(async () => {
      json = (await report('model', fx.modelId, '--format', 'json')).ok().json<ModelReport>();
    });

    it('lists the source files with the sha256 of their bytes and their row counts', () => {
      const byTable = new Map(json.sources.map((f) => [f.table, f]));
      assert.deepEqual([...byTable.keys()].sort(), ['application', 'bureau', 'previous_application']);
      for (const [table, file] of Object.entries(fx.files)) {
        const source = byTable.get(table);
        assert.ok(source, table);
        assert.equal(source.sha256, sha256File(file), `${table} sha256`);
        assert.equal(source.rows, csvDataRows(file), `${table} rows`);
        assert.equal(source.name, path.basename(file));
      }
      assert.equal(byTable.get('application')?.erasedRows, fx.erasedRows.length);
    });

    it('gives the class balance the graph counts, the label, the split and the metrics', async () => {
      const counted = await rows(
        `MATCH (s:Sample)-[:OUTPUT_OF]->(:Run {id: $runId})
         RETURN s.split AS split, s.label AS label, count(*) AS n`,
        { runId: fx.runId },
      );
      const key = (split: unknown, label: unknown) => `${split}/${label ?? 'none'}`;
      const expected = new Map(counted.map((r) => [key(r.split, r.label), Number(r.n)]));
      const got = new Map(json.classBalance.map((c) => [key(c.split, c.label), c.samples]));
      assert.deepEqual(got, expected);
      assert.ok(expected.get('train/none'), 'the erasure dropped train samples');
      assert.equal(json.label, 'TARGET == 1');
      assert.equal(json.split?.testFraction, 0.2);
      assert.equal(json.split?.seed, 7);
      const [m] = await rows('MATCH (m:Model {id: $id}) RETURN properties(m) AS p', { id: fx.modelId });
      const p = m.p as Record<string, unknown>;
      assert.equal(json.metrics.testAccuracy, p.testAccuracy);
      assert.equal(json.metrics.trainLoss, p.trainLoss);
      assert.equal(json.training.lambda, p.lambda);
      assert.equal(json.training.certification?.epsilon, 1);
      assert.equal(json.training.certification?.delta, 1e-5);
      assert.equal(json.model.paramsSha256, p.paramsSha256);
      assert.equal(json.missingValues.perColumn, null);
      assert.ok(json.notAvailable.some((n) => /^missing values per column/.test(n)));
      assert.equal(json.bias.status, 'examined');
      assert.ok(!json.notAvailable.some((n) => /^bias examination/.test(n)));
    });

    it('examines bias across the declared gender: rates and AUC per group equal a direct computation', async () => {
      const bias = json.bias;
      assert.equal(bias.status, 'examined');
      if (bias.status !== 'examined') return;
      const [gender] = bias.attributes;
      assert.deepEqual([gender.name, gender.column], ['gender', 'CODE_GENDER']);
      // Each applicant's CODE_GENDER, read from the file here.
      const [header, ...lines] = fs.readFileSync(fx.files.application, 'utf8').trimEnd().split('\n');
      const cols = header.split(',');
      const [keyAt, genderAt] = [cols.indexOf('SK_ID_CURR'), cols.indexOf('CODE_GENDER')];
      const genderOf = new Map(lines.map((l) => l.split(',')).map((c) => [c[keyAt], c[genderAt]]));
      // Test split: the model's own Predictions in the graph (written at training), labels of the Samples.
      const predicted = await rows(
        `MATCH (:Model {id: $id})<-[:BY]-(p:Prediction)-[:FOR]->(s:Sample)
         RETURN s.key AS key, s.label AS label, p.score AS score`,
        { id: fx.modelId },
      );
      const groups = new Map<string, { y: number[]; score: number[] }>();
      for (const r of predicted) {
        const g = genderOf.get(String(r.key));
        assert.ok(g, `gender of ${r.key}`);
        const entry = groups.get(g) ?? { y: [], score: [] };
        entry.y.push(Number(r.label));
        entry.score.push(Number(r.score));
        groups.set(g, entry);
      }
      const test = gender.splits.find((s) => s.split === 'test');
      assert.ok(test);
      assert.equal(test.samples, predicted.length);
      assert.deepEqual(
        test.groups.map((g) => g.group),
        [...groups.keys()].sort(),
      );
      const close = (a: number | null, b: number | null, what: string) =>
        assert.ok(a === b || (a !== null && b !== null && Math.abs(a - b) < 1e-12), `${what}: ${a} vs ${b}`);
      const ppr = new Map<string, number>();
      const tprs: number[] = [];
      for (const [g, { y, score }] of groups) {
        const got: BiasGroupRates | undefined = test.groups.find((x) => x.group === g);
        assert.ok(got, g);
        const pos = y.filter((v) => v === 1).length;
        const hit = score.map((s) => s >= 0.5);
        const tp = hit.filter((h, i) => h && y[i] === 1).length;
        const fp = hit.filter((h, i) => h && y[i] === 0).length;
        // AUC by counting pairs (a tie counts ½), not by ranks as the report does.
        let pairs = 0;
        let wins = 0;
        for (let i = 0; i < y.length; i++)
          for (let j = 0; j < y.length; j++)
            if (y[i] === 1 && y[j] === 0) {
              pairs++;
              wins += score[i] > score[j] ? 1 : score[i] === score[j] ? 0.5 : 0;
            }
        assert.equal(got.samples, y.length, `${g} samples`);
        close(got.positiveLabelRate, pos / y.length, `${g} label rate`);
        close(got.predictedPositiveRate, hit.filter(Boolean).length / y.length, `${g} predicted rate`);
        close(got.truePositiveRate, pos > 0 ? tp / pos : null, `${g} TPR`);
        close(got.falsePositiveRate, y.length - pos > 0 ? fp / (y.length - pos) : null, `${g} FPR`);
        close(got.auc, pairs > 0 ? wins / pairs : null, `${g} AUC`);
        ppr.set(g, hit.filter(Boolean).length / y.length);
        if (pos > 0) tprs.push(tp / pos);
      }
      const rates = [...ppr.values()];
      close(
        test.disparity.predictedPositiveRate,
        rates.length > 1 && Math.max(...rates) > 0 ? Math.min(...rates) / Math.max(...rates) : null,
        'predicted positive rate disparity',
      );
      close(
        test.disparity.truePositiveRate,
        tprs.length > 1 && Math.max(...tprs) > 0 ? Math.min(...tprs) / Math.max(...tprs) : null,
        'TPR disparity',
      );
      // Train split: the samples per group are the run's labelled train Samples; the erased ones are left out.
      const train = gender.splits.find((s) => s.split === 'train');
      assert.ok(train);
      const trainSamples = await rows(
        `MATCH (s:Sample {split: 'train'})-[:OUTPUT_OF]->(:Run {id: $runId})
         RETURN s.key AS key, s.label IS NULL AS erased`,
        { runId: fx.runId },
      );
      const erased = trainSamples.filter((r) => r.erased === true).length;
      assert.ok(erased > 0, 'the erasure dropped train samples');
      assert.equal(bias.erasedExcluded.train, erased);
      const perGroup = new Map<string, number>();
      for (const r of trainSamples.filter((r) => r.erased !== true)) {
        const g = genderOf.get(String(r.key)) as string;
        perGroup.set(g, (perGroup.get(g) ?? 0) + 1);
      }
      assert.deepEqual(new Map(train.groups.map((g) => [g.group, g.samples])), perGroup);
      // The rendered report carries the section and says what it left out.
      const md = String(
        await renderReport(await readModelReport(graph(), fx.modelId, { home: fx.env.TRACEPROP_HOME }), 'md'),
      );
      assert.ok(md.includes('Bias examination'));
      assert.ok(md.includes(`${erased} train and ${bias.erasedExcluded.test} test`));
    });

    it('a pipeline declaring no protected attribute gets an explicit "not declared"', async () => {
      const yaml = fs
        .readFileSync(path.join(dir, 'credit-risk.yaml'), 'utf8')
        .replace(/\n {2}# Art\. 10\(2\)\(f\)[^\n]*\n {2}protected:\n( {4}.*\n)+/, '\n');
      assert.ok(!yaml.includes('protected:'), 'the declaration is removed');
      const plain = path.join(dir, 'no-protected.yaml');
      fs.writeFileSync(plain, yaml);
      const sources = Object.entries(fx.files).flatMap(([t, f]) => ['--source', `${t}=${f}`]);
      const ingest = (
        await runTraceprop(['ingest', 'pipeline', plain, ...sources, '--train', '--json'], { env: fx.env })
      )
        .ok()
        .json<{ modelId: string }>();
      const plainReport = (await report('model', ingest.modelId, '--format', 'json'))
        .ok()
        .json<ModelReport>();
      assert.equal(plainReport.bias.status, 'not declared');
      assert.ok(plainReport.notAvailable.some((n) => /^bias examination .*: not declared/.test(n)));
      const md = String((await report('model', ingest.modelId, '--format', 'md')).ok().stdout);
      assert.match(md, /not declared: the run's pipeline declares no protected attribute/);
    });

    it('gives the column lineage, the mean source share per file and the line with its erasure', async () => {
      const lineage = new Map(json.featureLineage?.map((f) => [f.feature, f.sourceColumns]));
      assert.deepEqual(lineage.get('CREDIT_INCOME_RATIO'), [
        'application.AMT_CREDIT',
        'application.AMT_INCOME_TOTAL',
      ]);
      const shares = await rows(
        `MATCH (:Model {id: $id})<-[:BY]-(p:Prediction)-[sh:SOURCE_SHARE {method: 'ns'}]->(f:SourceFile)
         WITH f, sum(sh.share) AS total
         MATCH (:Model {id: $id})<-[:BY]-(q:Prediction) WHERE EXISTS { (q)-[:SOURCE_SHARE {method: 'ns'}]->() }
         WITH f, total, count(q) AS predictions
         RETURN f.id AS file, total / predictions AS mean`,
        { id: fx.modelId },
      );
      assert.ok(shares.length >= 2, 'attribution wrote source shares');
      const ns = json.influence.find((i) => i.method === 'ns');
      assert.ok(ns);
      assert.equal(ns.files.length, shares.length);
      for (const s of shares) {
        const f = ns.files.find((x) => x.sha256 === s.file);
        assert.ok(f, String(s.file));
        assert.ok(Math.abs(f.meanShare - Number(s.mean)) < 1e-12, `${f.name}: ${f.meanShare} vs ${s.mean}`);
      }
      assert.deepEqual(
        json.line.map((v) => v.id),
        [fx.modelId, fx.firstModelId],
      );
      const accuracies = await rows(
        'MATCH (m:Model) WHERE m.id IN $ids RETURN m.id AS id, m.testAccuracy AS a',
        {
          ids: [fx.modelId, fx.firstModelId],
        },
      );
      for (const v of json.line)
        assert.equal(v.testAccuracy, accuracies.find((a) => a.id === v.id)?.a, `${v.id} test accuracy`);
      assert.equal(json.erasures.length, 1);
      const [e] = json.erasures;
      assert.equal(e.requestId, fx.requestId);
      assert.equal(e.sourceRows, fx.erasedRows.length);
      assert.deepEqual(e.produced, [{ before: fx.firstModelId, after: fx.modelId, version: 2 }]);
      assert.equal(e.guarantee.epsilon, 1);
      assert.equal(e.guarantee.delta, 1e-5);
    });

    it('lists the signed statements about the line and its run with their log indexes', async () => {
      const logged = await rows(
        `MATCH (s:Statement) WHERE s.ref IN $refs OR s.ref STARTS WITH $requestId + '#'
         RETURN s.id AS id, s.logIndex AS i ORDER BY i`,
        { refs: [fx.runId, fx.modelId, fx.firstModelId, fx.requestId], requestId: fx.requestId },
      );
      assert.ok(logged.length >= 3, 'the run, the first model and the erasure are signed');
      assert.deepEqual(
        json.statements.map((s) => [s.id, s.logIndex]),
        logged.map((r) => [r.id, Number(r.i)]),
      );
    });

    it('Markdown and HTML carry the same values; HTML escapes names from the graph', async () => {
      // In process (the CLI's --format and --out are exercised by the JSON and PDF cases).
      const read = await readModelReport(graph(), fx.modelId, { home: fx.env.TRACEPROP_HOME });
      const md = String(await renderReport(read, 'md'));
      const html = String(await renderReport(read, 'html'));
      for (const text of [md, html]) {
        for (const f of json.sources) assert.ok(text.includes(f.sha256), f.name);
        for (const s of json.statements) assert.ok(text.includes(s.id), `statement ${s.id}`);
        assert.ok(text.includes(fx.requestId));
        assert.ok(text.includes('TARGET == 1'));
        const trainZero = json.classBalance.find((c) => c.split === 'train' && c.label === 0);
        assert.ok(trainZero && text.includes(String(trainZero.samples)));
      }
      assert.ok(!html.includes('<script'), 'no raw <script in the HTML');
      assert.ok(!/<b>application/.test(html), 'the file name is not markup');
      assert.ok(html.includes('&lt;b&gt;application&lt;script&gt;.csv'));
      assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
      assert.equal(
        (html.match(/<svg /g) ?? []).length,
        4,
        'class balance, predicted positive rate per gender, influence and test accuracy across versions',
      );
      assert.ok(!md.includes(hostile), 'Markdown escapes it too');
    });

    it('prints a real PDF with headless Chromium', async () => {
      const out = path.join(dir, 'model.pdf');
      (await report('model', fx.modelId, '--format', 'pdf', '--out', out)).ok();
      const pdf = fs.readFileSync(out);
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
      assert.ok(pdf.length > 20_000, `${pdf.length} bytes`);
      const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
      assert.ok(pages.length >= 2, `${pages.length} pages`);
      assert.ok(pdf.subarray(-1024).toString('latin1').includes('%%EOF'));
    });
  });

  describe('erasure', () => {
    let json: ErasureReport;
    before(async () => {
      json = (await report('erasure', fx.requestId, '--format', 'json')).ok().json<ErasureReport>();
    });

    it('names the rows erased and the models updated as the graph records them, never a key', async () => {
      const targets = await rows(
        `MATCH (:UnlearningRequest {id: $id})-[:TARGETS]->(r:SourceRow)-[:IN_FILE]->(f:SourceFile)
         RETURN f.id AS file, r.row AS row ORDER BY row`,
        { id: fx.requestId },
      );
      assert.deepEqual(
        json.erased.map((f) => [f.sha256, f.rows]),
        [[sha256File(fx.files.application), targets.map((t) => Number(t.row))]],
      );
      assert.deepEqual(json.erased[0].rows, fx.erasedRows);
      assert.equal(json.erasedRows, fx.erasedRows.length);
      const [affected] = await rows(
        'MATCH (:UnlearningRequest {id: $id})-[:AFFECTED]->(s:Sample) RETURN count(s) AS n',
        { id: fx.requestId },
      );
      assert.equal(json.affectedSamples, Number(affected.n));
      assert.deepEqual(
        json.models.map((m) => [m.before, m.after]),
        [[fx.firstModelId, fx.modelId]],
      );
      const [u] = await rows('MATCH (u:UnlearningRequest {id: $id}) RETURN properties(u) AS p', {
        id: fx.requestId,
      });
      const p = u.p as Record<string, unknown>;
      assert.equal(json.guarantee.epsilon, p.certifiedEpsilon);
      assert.equal(json.guarantee.delta, p.certifiedDelta);
      assert.equal(json.guarantee.gradientResidual, p.gradientResidual);
      assert.deepEqual(json.guarantee.certificate, JSON.parse(String(p.certificate)));
      assert.ok(
        json.inventory.entries.some((e) => e.store === 'graph: source rows' && e.state === 'skeleton'),
      );
      assert.ok(json.verify.some((v) => v.startsWith('traceprop verify log')));
      assert.ok(
        json.statements.some((s) => s.kind === 'erasure' && s.ref.startsWith(`${fx.requestId}#`)),
        "the request's signed erasure statement is listed",
      );
      assert.ok(!json.notAvailable.some((n) => /statement of the erasure/.test(n)));
      // The erased rows' business keys (SK_ID_CURR) appear nowhere in any format.
      const lines = fs.readFileSync(fx.files.application, 'utf8').split('\n');
      const keys = fx.erasedRows.map((r) => lines[r + 1].split(',')[0]);
      const home = fx.env.TRACEPROP_HOME;
      const md = String(await renderReport(await readErasureReport(graph(), fx.requestId, { home }), 'md'));
      for (const text of [JSON.stringify(json), md])
        for (const k of keys) assert.ok(!new RegExp(`\\b${k}\\b`).test(text), `key ${k} printed`);
      assert.ok(md.includes(json.erased[0].sha256) && md.includes('3, 5') && md.includes(fx.modelId));
    });
  });

  describe('run', () => {
    it('gives the sources, counts and the models trained on the run', async () => {
      const json = (await report('run', fx.runId, '--format', 'json')).ok().json<RunReport>();
      const [r] = await rows(
        `MATCH (run:Run {id: $id}) RETURN run.samples AS samples, run.sourceRows AS sourceRows,
           [(m:Model)-[:TRAINED_ON]->(run) | m.id] AS models`,
        { id: fx.runId },
      );
      assert.equal(json.run.counts.samples, Number(r.samples));
      assert.equal(json.run.counts.sourceRows, Number(r.sourceRows));
      assert.deepEqual(json.models.map((m) => m.id).sort(), (r.models as string[]).sort());
      assert.equal(json.sources.length, 3);
      assert.ok(json.pipeline.ops.some((o) => o.kind === 'split'));
      const md = String(await renderReport(await readRunReport(graph(), fx.runId), 'md'));
      for (const m of json.models) assert.ok(md.includes(m.id));
    });
  });

  it('an unknown id is report.unknownId, naming the id and how to list ids', async () => {
    const r = await report('model', 'no-such-id-42', '--format', 'json');
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.errorCode(), 'report.unknownId');
    assert.match(r.stderr, /no-such-id-42.*traceprop report list model/);
    assert.equal(r.stdout, '');
    const home = fx.env.TRACEPROP_HOME;
    for (const [kind, read] of [
      ['erasure', (id: string) => readErasureReport(graph(), id, { home })],
      ['run', (id: string) => readRunReport(graph(), id)],
    ] as const) {
      const err = await read('no-such-id-42').then(
        () => assert.fail(`${kind}: no error`),
        (e: { code?: string; message: string }) => e,
      );
      assert.equal(err.code, 'report.unknownId');
      assert.match(err.message, new RegExp(`no-such-id-42.*traceprop report list ${kind}`));
    }
    const listed = (await report('list', 'model', '--json')).ok().json<{ id: string }[]>();
    assert.deepEqual(listed.map((m) => m.id).sort(), [fx.firstModelId, fx.modelId].sort());
  });
});
