import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runDir } from '../../src/models/run-matrix-store.js';
import { canonicalPipeline } from '../../src/pipeline-spec/canonical-pipeline.js';
import type { ValidatedPipeline } from '../../src/pipeline-spec/validate-pipeline.js';
import type { CreditRiskFiles } from '../../src/pipelines/credit-risk-files.js';
import { generateCreditRisk } from '../../src/pipelines/credit-risk-generator.js';
import { creditRiskPipeline } from '../../src/pipelines/credit-risk-spec.js';
import { ingestCreditRiskArgs, runTraceprop } from '../support/cli.js';
import { useCleanGraph } from '../support/graph.js';
import { graphCounts } from '../support/graph-facts.js';
import { testServices } from '../support/services.js';

type Files = CreditRiskFiles;

const loadedSha256 = (p: ValidatedPipeline) => canonicalPipeline(p.spec).sha256;
const ingestArgs = ingestCreditRiskArgs;

/**
 * Rewrites fields of a generated application.csv (no quoted fields): `edit(fields, dataRow)`
 * changes the fields of each data row in place. Returns the new file (next to the others).
 */
function editApplication(files: Files, name: string, edit: (fields: string[], row: number) => void): Files {
  const lines = fs.readFileSync(files.application, 'utf8').split('\n');
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === '') continue;
    const fields = lines[i].split(',');
    edit(fields, i - 1);
    lines[i] = fields.join(',');
  }
  const dir = path.join(path.dirname(files.application), name);
  fs.mkdirSync(dir, { recursive: true });
  const application = path.join(dir, 'application.csv');
  fs.writeFileSync(application, lines.join('\n'));
  return { ...files, application };
}

describe('graph: ingest refuses bad input before writing (issue 8 items 8 and 12)', function () {
  this.timeout(300_000);
  const graph = useCleanGraph();
  let dir: string;
  let files: Files;
  let header: string[];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-refusals-'));
    const ds = await generateCreditRisk({ applicants: 200, seed: 5, outDir: path.join(dir, 'gen') });
    const byTable = Object.fromEntries(ds.files.map((f) => [f.table, f.path]));
    files = {
      application: byTable.application,
      bureau: byTable.bureau,
      previous: byTable.previous_application,
    };
    header = fs.readFileSync(files.application, 'utf8').split('\n')[0].split(',');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Runs an ingest that must be refused; checks the graph and the run artifacts did not change. */
  async function refused(args: string[], code: number): Promise<string> {
    const before = await graphCounts(graph());
    const runs = path.join(testServices().home, 'runs');
    const artifactsBefore = fs.existsSync(runs) ? fs.readdirSync(runs).sort() : [];
    const r = await runTraceprop(args);
    assert.equal(r.code, code, r.stderr);
    assert.equal(r.stdout, '');
    assert.deepEqual(await graphCounts(graph()), before, 'nothing written to Neo4j');
    assert.deepEqual(
      fs.existsSync(runs) ? fs.readdirSync(runs).sort() : [],
      artifactsBefore,
      'no run artifacts',
    );
    return r.stderr;
  }

  it('refuses an application file that is not UTF-8, naming file, data row, column, line and byte offset', async () => {
    const col = header.indexOf('NAME_INCOME_TYPE');
    // Data row 7 gets a Latin-1 "é" (0xE9): it used to become a category (and a feature) with U+FFFD.
    const bad = editApplication(files, 'latin1', (f, row) => {
      if (row === 7) f[col] = 'Work\u00e9ng';
    });
    const text = fs.readFileSync(bad.application, 'utf8');
    fs.writeFileSync(bad.application, Buffer.from(text, 'latin1'));
    const bytes = fs.readFileSync(bad.application);
    const offset = bytes.indexOf(0xe9);
    assert.equal(bytes.subarray(0, offset).toString('latin1').split('\n').length, 9, 'the byte is on line 9');
    const stderr = await refused(ingestArgs(bad, '--json'), 1);
    assert.match(stderr, /^error \[ingest\.badEncoding\]: /m);
    assert.ok(
      stderr.includes(
        `application.csv: data row 7, column ${col} ("NAME_INCOME_TYPE") (line 9, byte offset ${offset}): expected UTF-8 text, got bytes that are not UTF-8 (0xE9 0x6E 0x67 0x2C…)`,
      ),
      stderr,
    );
  });

  it('refuses more than --max-bad-labels labels other than 0/1 (default 1%, the max_left_out of credit-risk.yaml), and an application file without any', async () => {
    const labelCol = header.indexOf('TARGET');
    const badLabels: Record<number, string> = { 3: '2', 10: '0.5', 20: '' };
    const some = editApplication(files, 'some-bad-labels', (f, row) => {
      if (row in badLabels) f[labelCol] = badLabels[row];
    });
    // 3 of 200 rows (1.5%) is over the default 1% (credit-risk.yaml's max_left_out).
    const stderr = await refused(ingestArgs(some, '--json'), 1);
    assert.match(
      stderr,
      /error \[pipeline\.tooManyLeftOut\]: step "labelled" left out 3 of 200 rows of application \(1\.5%\) for which "is_not_null\(SK_ID_CURR\) and TARGET in \[0, 1\]" is not true, more than its max_left_out 1\.0% allows \(e\.g\. data row 3: SK_ID_CURR \d+, TARGET 2; data row 10: SK_ID_CURR \d+, TARGET 0\.5; data row 20: SK_ID_CURR \d+, TARGET missing\); fix the data or raise max_left_out \(the limit is --max-bad-labels, default 0\.01\)/,
    );

    const none = editApplication(files, 'no-labels', (f) => {
      f[labelCol] = '';
    });
    const noneErr = await refused(ingestArgs(none, '--max-bad-labels', '1'), 1);
    assert.match(
      noneErr,
      /error \[pipeline\.tooManyLeftOut\]: step "labelled" left out 200 of 200 rows of application \(100\.0%\) for which "is_not_null\(SK_ID_CURR\) and TARGET in \[0, 1\]" is not true: all of them/,
    );
  });

  it('leaves out and reports labels other than 0/1 under the limit (stderr and droppedLabels in --json)', async () => {
    const labelCol = header.indexOf('TARGET');
    const some = editApplication(files, 'few-bad-labels', (f, row) => {
      if (row === 3) f[labelCol] = '2';
      if (row === 20) f[labelCol] = '';
    });
    const r = await runTraceprop(
      ingestArgs(some, '--max-bad-labels', '0.05', '--run-id', 'labels-ok', '--json'),
    );
    assert.equal(r.code, 0, r.stderr);
    const doc = r.json<{ samples: number; droppedLabels: unknown; status: string; pipelineSha256: string }>();
    assert.equal(doc.status, 'complete');
    assert.deepEqual(doc.droppedLabels, {
      count: 2,
      rows: 200,
      rate: 0.01,
      examples: [
        { row: 3, value: '2' },
        { row: 20, value: null },
      ],
    });
    assert.equal(doc.samples, 198);
    assert.match(
      r.stderr,
      /warning: step "labelled" left out 2 of 200 rows of application \(1\.0%\) for which "is_not_null\(SK_ID_CURR\) and TARGET in \[0, 1\]" is not true \(e\.g\. data row 3: SK_ID_CURR \d+, TARGET 2; data row 20: SK_ID_CURR \d+, TARGET missing\)/,
    );
    // --max-bad-labels 0.05 is the labelled filter's max_left_out of the recorded pipeline
    assert.notEqual(doc.pipelineSha256, loadedSha256(creditRiskPipeline()));
    assert.equal(doc.pipelineSha256, loadedSha256(creditRiskPipeline({ maxBadLabels: 0.05 })));
  });

  it('refuses a --run-id that exists with exit 2 before any work, keeping that run and its artifacts', async () => {
    const matrix = runDir(testServices().home, 'labels-ok');
    assert.ok(fs.existsSync(matrix), 'the earlier run saved its matrix');
    const stderr = await refused(ingestArgs(files, '--run-id', 'labels-ok'), 2);
    assert.match(
      stderr,
      /error \[graph\.runExists\]: a run with id labels-ok exists already \(status complete\): each ingest needs a new run id/,
    );
    // Before the fix the failed write removed runs/labels-ok/, the other run's saved matrix.
    assert.ok(fs.existsSync(matrix), "the other run's artifacts are still there");
  });
});
