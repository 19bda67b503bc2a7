import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runCreditRiskFile } from '../../bench/support/run-credit-risk-file.js';
import { writeLineageRun } from '../../src/graph/lineage-writer.js';
import { trainRunModel } from '../../src/jobs/train/run-train-job.js';
import type { ErasureInventory, InventoryEntry } from '../../src/jobs/unlearning/erasure-inventory.js';
import type { UnlearningOutcome } from '../../src/jobs/unlearning/unlearning-outcome.js';
import type { EncoderDriftEntry } from '../../src/jobs/unlearning/write-encoder-drift.js';
import { modelDir } from '../../src/models/model-artifact-store.js';
import { runMatrixFromFeatures } from '../../src/models/run-matrix-from-features.js';
import { loadRunMatrix, runDir, saveRunMatrix } from '../../src/models/run-matrix-store.js';
import { generateCreditRisk } from '../../src/pipelines/credit-risk-generator.js';
import { runTraceprop } from '../support/cli.js';
import { useCleanGraph, withTestSession } from '../support/graph.js';
import { testServices } from '../support/services.js';

/** One CSV line split into fields (double-quoted fields may hold commas), independent of readCsv. */
function fields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** A field back into CSV. */
function quote(v: string): string {
  return /[",]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** A CSV file's header and data rows. */
function readTable(file: string): { header: string[]; rows: string[][] } {
  const lines = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
  return { header: fields(lines[0]), rows: lines.slice(1).map(fields) };
}

/** The one-hot columns of pipelines/credit-risk.yaml (step `encoded`, fitted on the train split). */
const oneHotColumns = [
  'NAME_CONTRACT_TYPE',
  'CODE_GENDER',
  'FLAG_OWN_CAR',
  'FLAG_OWN_REALTY',
  'NAME_INCOME_TYPE',
  'NAME_EDUCATION_TYPE',
  'NAME_FAMILY_STATUS',
  'NAME_HOUSING_TYPE',
];

type Outcome = UnlearningOutcome & { encoderDrift: EncoderDriftEntry; inventory: ErasureInventory };

/**
 * Issue 12: the inventory's `fitted encoder state` entry counts the one-hot levels whose only
 * holders were erased rows (their texts stay in the stores as feature names), measured on the
 * stores, and never prints the texts.
 */
describe('erasure inventory: fitted encoder state (one-hot levels only erased rows had)', () => {
  const graph = useCleanGraph();
  const query = (cypher: string, params: Record<string, unknown> = {}) =>
    withTestSession(graph(), async (s) => (await s.run(cypher, params)).records.map((r) => r.toObject()));
  /** Level texts no generated applicant has: A alone, X and Y together, Z alone. */
  const onlyA = 'Houseboat moored at pier 7';
  const sharedXY = 'Lighthouse keeper cottage';
  const onlyZ = 'Treehouse in the old oak';
  const texts = [onlyA, sharedXY, onlyZ];
  let runId: string;
  let modelId: string;
  let trainKeys: string[];
  /** Train applicant keys → their one-hot values, from the CSV as written. */
  let valuesOfKey: Map<string, Map<string, string>>;
  let appRowOfKey: Map<string, number>;
  let bureauRowsOfKey: Map<string, number[]>;
  let a: string;
  let x: string;
  let y: string;
  let z: string;

  before(async function () {
    this.timeout(120_000);
    const { home } = testServices();
    const dir = path.join(home, 'data-fitted-state-inventory');
    await generateCreditRisk({ applicants: 300, seed: 57, outDir: dir });
    // The split is a seeded draw over the rows' order: editing values keeps it. Learn it first.
    const plain = await runCreditRiskFile(dir, { mode: 'op' });
    trainKeys = plain.keys.filter((_, i) => plain.split[i] === 0);
    const bureau = readTable(path.join(dir, 'bureau.csv'));
    bureauRowsOfKey = new Map();
    bureau.rows.forEach((r, i) => {
      const k = r[bureau.header.indexOf('SK_ID_CURR')];
      bureauRowsOfKey.set(k, [...(bureauRowsOfKey.get(k) ?? []), i]);
    });
    const appFile = path.join(dir, 'application.csv');
    const app = readTable(appFile);
    const col = (name: string) => app.header.indexOf(name);
    appRowOfKey = new Map(app.rows.map((r, i) => [r[col('SK_ID_CURR')], i]));
    [a, x, y] = trainKeys;
    z = trainKeys.find((k) => ![a, x, y].includes(k) && (bureauRowsOfKey.get(k)?.length ?? 0) > 0) as string;
    assert.ok(z, 'a train applicant with bureau rows');
    const housing = col('NAME_HOUSING_TYPE');
    for (const [key, level] of [
      [a, onlyA],
      [x, sharedXY],
      [y, sharedXY],
      [z, onlyZ],
    ])
      app.rows[appRowOfKey.get(key) as number][housing] = level;
    fs.writeFileSync(appFile, `${[app.header, ...app.rows].map((r) => r.map(quote).join(',')).join('\n')}\n`);
    valuesOfKey = new Map(
      app.rows.map((r) => [r[col('SK_ID_CURR')], new Map(oneHotColumns.map((c) => [c, r[col(c)]]))]),
    );

    const run = await runCreditRiskFile(dir, { mode: 'row', runId: `fitted-inv-${Date.now()}` });
    assert.deepEqual(
      run.keys.filter((_, i) => run.split[i] === 0),
      trainKeys,
      'the edits keep the split',
    );
    assert.ok(run.lineage);
    runId = run.lineage.runId;
    await writeLineageRun(graph(), run.lineage);
    await saveRunMatrix(home, runMatrixFromFeatures(run, runId));
    modelId = (await trainRunModel({ client: graph(), home, runId, lambda: 1e-2 })).modelId;
  });

  /**
   * Independent reference, from the CSV: one-hot levels of train applicants all of whose train
   * holders are among `erased` (their application rows erased).
   */
  function levelsOnlyErased(erased: string[]): number {
    const holders = new Map<string, string[]>();
    for (const key of trainKeys)
      for (const [c, v] of valuesOfKey.get(key) ?? []) {
        if (v === '') continue;
        holders.set(`${c}=${v}`, [...(holders.get(`${c}=${v}`) ?? []), key]);
      }
    return [...holders.values()].filter((ks) => ks.every((k) => erased.includes(k))).length;
  }

  async function unlearn(file: string, rows: number[], mode: 'drop' | 'recompute'): Promise<Outcome> {
    const out = await runTraceprop([
      'unlearn',
      '--model',
      modelId,
      '--file',
      file,
      '--rows',
      rows.join(','),
      '--mode',
      mode,
      '--local',
      '--json',
    ]);
    const o = out.ok().json<Outcome>();
    modelId = o.modelId;
    return o;
  }

  function fittedEntry(inv: ErasureInventory): InventoryEntry {
    const found = inv.entries.filter((e) => e.store === 'fitted encoder state');
    assert.equal(found.length, 1, JSON.stringify(inv.entries));
    assert.equal(found[0].owner, 'traceprop');
    for (const t of texts)
      assert.ok(!found[0].detail.includes(t), `the detail names no level: ${found[0].detail}`);
    assert.ok(!found[0].detail.includes('NAME_HOUSING_TYPE='), found[0].detail);
    return found[0];
  }

  let firstRequest: string;

  it('erased rows that share their levels with remaining rows: not present', async () => {
    const o = await unlearn('application.csv', [appRowOfKey.get(x) as number], 'drop');
    assert.equal(levelsOnlyErased([x]), 0, 'Y still has the level X had');
    const e = fittedEntry(o.inventory);
    assert.deepEqual([e.state, e.count], ['not present', 0], e.detail);
    assert.equal(e.location, `${path.join(runDir(testServices().home, runId), 'matrix.json')} (recipe)`);
    assert.equal(o.encoderDrift.levelsOnlyErased, 0);
    assert.equal(o.inventory.ownedStoresHolding, 0, JSON.stringify(o.inventory.entries));
    firstRequest = o.requestId;
  });

  it('a re-derived sample still holds its levels (read from the new version’s artifact): not present', async () => {
    const o = await unlearn('bureau.csv', bureauRowsOfKey.get(z) as number[], 'recompute');
    assert.equal(o.droppedSamples, 0, 'its application row stays: the sample is re-derived');
    // Its old row is scrubbed out of the run matrix: only the new version's artifact has its level.
    const matrix = await loadRunMatrix(testServices().home, runId);
    const row = matrix.sampleKeys.indexOf(z);
    assert.ok(row >= 0 && matrix.scrubbedRows?.has(row), 'the old row was scrubbed');
    const e = fittedEntry(o.inventory);
    assert.deepEqual([e.state, e.count], ['not present', 0], e.detail);
  });

  it('the only row holding a level is erased: present, count 1, the stores keeping the text named, not the text', async () => {
    const { home } = testServices();
    const o = await unlearn('application.csv', [appRowOfKey.get(a) as number], 'drop');
    assert.equal(levelsOnlyErased([x, a]), 1);
    const e = fittedEntry(o.inventory);
    assert.deepEqual([e.state, e.count], ['present', 1], e.detail);
    assert.match(e.detail, /\(NAME_HOUSING_TYPE\)/);
    assert.equal(o.encoderDrift.levelsOnlyErased, 1, 'the recorded drift agrees');
    assert.equal(o.inventory.ownedStoresHolding, 1, 'the fitted state is the one owned store holding');
    // Each store the detail names does keep the text (checked on the store, not on the entry).
    const name = `NAME_HOUSING_TYPE=${onlyA}`;
    const manifest = fs.readFileSync(path.join(runDir(home, runId), 'matrix.json'), 'utf8');
    assert.ok(manifest.includes(JSON.stringify(onlyA)), 'matrix.json keeps the level');
    assert.match(e.detail, /matrix\.json \(recipe: 1, featureNames: 1 of them\)/);
    const versions = await query('MATCH (m:Model)-[:TRAINED_ON]->(:Run {id: $runId}) RETURN m.id AS id', {
      runId,
    });
    const holding = versions.filter((v) =>
      (
        JSON.parse(fs.readFileSync(path.join(modelDir(home, String(v.id)), 'model.json'), 'utf8')) as {
          featureNames: string[];
        }
      ).featureNames.includes(name),
    );
    assert.equal(holding.length, versions.length);
    assert.match(e.detail, new RegExp(`model\\.json featureNames of ${versions.length} model versions`));
    const [ops] = await query(
      "MATCH (:Run {id: $runId})-[:HAS_OP]->(o:Op {kind: 'encode'}) WHERE o.params CONTAINS $t RETURN count(o) AS n",
      { runId, t: JSON.stringify(onlyA) },
    );
    assert.ok(Number(ops.n) >= 1);
    assert.match(e.detail, new RegExp(`Run\\.featureNames, ${ops.n} encode op`));
    // `erasure show` prints the same entry.
    const shown = (await runTraceprop(['erasure', 'show', o.requestId, '--json']))
      .ok()
      .json<ErasureInventory>();
    assert.deepEqual(fittedEntry(shown), e);
    const text = await runTraceprop(['erasure', 'show', o.requestId]);
    assert.match(
      text.stdout,
      /present {5}fitted encoder state: 1 fitted one-hot level \(NAME_HOUSING_TYPE\)/,
    );
    for (const t of texts) assert.ok(!text.stdout.includes(t));
  });

  it('the last remaining holder of a shared level is erased: count 2, and measured now for every request on the run', async () => {
    const o = await unlearn('application.csv', [appRowOfKey.get(y) as number], 'drop');
    assert.equal(levelsOnlyErased([x, a, y]), 2);
    const e = fittedEntry(o.inventory);
    assert.deepEqual([e.state, e.count], ['present', 2], e.detail);
    assert.equal(o.encoderDrift.levelsOnlyErased, 2);
    // The first request's inventory is measured when asked: the level X shared is now only erased rows'.
    const first = (await runTraceprop(['erasure', 'show', firstRequest, '--json']))
      .ok()
      .json<ErasureInventory>();
    assert.deepEqual([fittedEntry(first).state, fittedEntry(first).count], ['present', 2]);
  });

  it('a run matrix without its recipe: unknown, and says why', async () => {
    const file = path.join(runDir(testServices().home, runId), 'matrix.json');
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    delete manifest.recipe;
    fs.writeFileSync(file, JSON.stringify(manifest));
    const shown = (await runTraceprop(['erasure', 'show', firstRequest, '--json']))
      .ok()
      .json<ErasureInventory>();
    const e = fittedEntry(shown);
    assert.equal(e.state, 'unknown');
    assert.match(e.detail, /without its pipeline recipe/);
  });
});
