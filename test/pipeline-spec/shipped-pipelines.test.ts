import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { runCreditRiskPipeline } from '../../bench/support/hand-written-credit-risk.js';
import { packageRoot } from '../../src/config.js';
import { civilFromDays } from '../../src/expressions/dates.js';
import { type ColumnInput, valueAt } from '../../src/expressions/vector.js';
import { loadPipelineSpec } from '../../src/pipeline-spec/load-pipeline-spec.js';
import { stepInputs } from '../../src/pipeline-spec/step-graph.js';
import type { ValidatedPipeline } from '../../src/pipeline-spec/validate-pipeline.js';
import { generateCreditRisk } from '../../src/pipelines/credit-risk-generator.js';
import { runTraceprop } from '../support/cli.js';
import { requireDataset } from '../support/require-dataset.js';

const folder = path.join(packageRoot, 'pipelines');
const shipped = (name: string) => loadPipelineSpec(path.join(folder, name));

/** The data set folder each shipped pipeline is written for (under ../shared/datasets). */
const dataSets: Record<string, string> = {
  'berka-loans.yaml': 'berka_czech_financial',
  'credit-risk.yaml': 'home_credit_sample',
  'german-credit.yaml': 'german_credit',
  'taiwan-credit.yaml': 'taiwan_credit_default',
};

/** The first record of a file, split with the source's dialect. */
function firstRecord(file: string, delimiter: string): string[] {
  const head = fs.readFileSync(file, 'utf8').split(/\r?\n/, 1)[0];
  return (parse(head, { delimiter, bom: true }) as string[][])[0];
}

/** Ids of the steps (and sources) that `id` is computed from. */
function upstream(p: ValidatedPipeline, id: string): Set<string> {
  const byId = new Map(p.spec.steps.map((s) => [s.id, s]));
  const seen = new Set<string>();
  const stack = [...stepInputs(byId.get(id)!).map((i) => i.name)];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    const s = byId.get(next);
    if (s) stack.push(...stepInputs(s).map((i) => i.name));
  }
  return seen;
}

describe('shipped pipelines (pipelines/*.yaml)', () => {
  const files = fs.readdirSync(folder).filter((f) => /\.(ya?ml|json)$/.test(f));

  it('are the four documented ones, shipped in the npm package', () => {
    assert.deepEqual(files.sort(), Object.keys(dataSets).sort());
    const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as {
      files: string[];
    };
    assert.ok(pkg.files.includes('pipelines'), 'package.json "files" lists pipelines');
  });

  it('each validates with `traceprop pipeline validate --json` and names its data set in its header comment', async () => {
    for (const file of files) {
      const r = await runTraceprop(['pipeline', 'validate', path.join(folder, file), '--json']);
      assert.equal(r.code, 0, `${file}: ${r.stderr}`);
      assert.equal(r.json<{ name: string }>().name, file.replace(/\.yaml$/, ''));
      const header = fs.readFileSync(path.join(folder, file), 'utf8').split('\nformat:')[0];
      assert.match(header, new RegExp(`\\.\\./shared/datasets/${dataSets[file]}`), file);
      assert.match(header, /--data/, file);
    }
  });

  it('declare only files and columns that the real data sets have', () => {
    for (const file of files) {
      const p = shipped(file);
      const data = path.dirname(requireDataset(path.join(dataSets[file], p.spec.sources[0].path)));
      for (const s of p.spec.sources) {
        const first = firstRecord(path.join(data, s.path), s.csv.delimiter);
        const declared = Object.keys(s.columns);
        if (!s.csv.header) {
          assert.equal(
            first.length,
            declared.length,
            `${file}: ${s.name} declares every field in file order`,
          );
          continue;
        }
        const absent = declared.filter((c) => !first.includes(c));
        // The real Home Credit sample names the label DEFAULTED; the file reads TARGET (the
        // generated data's and Kaggle's name).
        assert.deepEqual(
          absent,
          file === 'credit-risk.yaml' && s.name === 'application' ? ['TARGET'] : [],
          file,
        );
      }
    }
  });

  it('split before every fitted step (onehot, standardize, impute by a statistic)', () => {
    for (const file of files) {
      const p = shipped(file);
      const fitted = p.spec.steps.filter(
        (s) =>
          s.kind === 'onehot' ||
          s.kind === 'standardize' ||
          (s.kind === 'impute' && s.strategy !== 'constant'),
      );
      assert.ok(fitted.length > 0, file);
      for (const s of fitted) {
        const before = upstream(p, s.id);
        assert.ok(
          p.spec.steps.some((x) => x.kind === 'split' && before.has(x.id)),
          `${file}: ${s.id} runs after a split`,
        );
      }
    }
  });

  it('Berka: the column lineage of the features goes through every table, and no filter drops rows', () => {
    const p = shipped('berka-loans.yaml');
    assert.deepEqual(
      p.spec.sources.map((s) => s.name),
      ['loan', 'account', 'district', 'disp', 'client', 'card', 'order'],
    );
    assert.deepEqual(
      p.spec.steps.filter((s) => s.kind === 'filter'),
      [],
    );
    const f = p.featureSources;
    assert.deepEqual(f.owner_age, ['client.birth_number', 'disp.type', 'loan.date']);
    assert.deepEqual(f.owner_female, ['client.birth_number', 'disp.type']);
    assert.deepEqual(f.n_disponents, ['disp.type']);
    assert.deepEqual(f.best_card, ['card.type']);
    assert.deepEqual(f.has_card, ['disp.account_id']);
    assert.deepEqual(f.n_orders, ['order.account_id']);
    assert.deepEqual(f.order_mean, ['order.amount']);
    assert.deepEqual(f.uver_amount, ['order.amount', 'order.k_symbol']);
    assert.deepEqual(f.no_symbol_share, ['order.k_symbol']);
    assert.deepEqual(f.unemployment, ['district.A12', 'district.A13']);
    assert.deepEqual(f.account_age_days, ['account.date', 'loan.date']);
    assert.deepEqual(f.frequency, ['account.frequency']);
    assert.deepEqual(f.log_amount, ['loan.amount']);
    const all = new Set(Object.values(f).flatMap((s) => s.map((c) => c.split('.')[0])));
    assert.deepEqual([...all].sort(), ['account', 'card', 'client', 'disp', 'district', 'loan', 'order']);
    assert.equal(p.label.type, 'boolean');
    assert.deepEqual(p.label.columns, ['status']);
    // the district join reads "?" as missing, and the owner's birth is a date aggregated per account
    assert.deepEqual(p.spec.sources[2].csv.missing, ['', '?']);
    assert.equal(p.tables.get('people_per_account')?.get('owner_birth')?.type, 'date');

    // the owner's birth date and sex, evaluated on every client of client.csv (as owners)
    const clients = parse(fs.readFileSync(requireDataset('berka_czech_financial/client.csv')), {
      delimiter: ';',
      columns: true,
    }) as { birth_number: string }[];
    const births = Float64Array.from(clients, (c) => Number(c.birth_number));
    const input: ColumnInput = {
      rows: births.length,
      num: (name) => (name === 'birth_number' ? births : assert.fail(name)),
      cat: () => ({
        kind: 'category',
        codes: new Int32Array(births.length),
        dictionary: ['OWNER'],
        sources: [],
      }),
    };
    const expression = (column: string) =>
      p.expressions.find((e) => e.path.at(-1) === column && e.path.includes('columns'))!.expression;
    const birth = expression('owner_birth').evaluate(input);
    const female = expression('owner_female').evaluate(input);
    assert.equal(birth.type, 'date');
    const dates = Array.from({ length: births.length }, (_, i) => valueAt(birth, i) as number | null);
    assert.ok(
      dates.every((d) => d !== null && civilFromDays(d)[0] >= 1900 && civilFromDays(d)[0] < 2000),
      'every birth number is a real 20th-century date',
    );
    assert.deepEqual(civilFromDays(dates[0]!), [1970, 12, 13]); // client 1: "706213", a woman
    assert.deepEqual(civilFromDays(dates[1]!), [1945, 2, 4]); // client 2: "450204", a man
    const women = Array.from({ length: births.length }, (_, i) => valueAt(female, i)).filter((v) => v === 1);
    assert.equal(women.length, 2645); // awk: month part > 50 in 2645 of 5369 birth numbers
  });

  it('German credit: keyed by the row number (row_key), label Label == 2, 13 one-hot and 8 scaled features', () => {
    const p = shipped('german-credit.yaml');
    const s = p.spec.sources[0];
    assert.equal(s.row_key, 'row');
    assert.equal(s.csv.header, false);
    assert.equal(s.csv.delimiter, ' ');
    assert.deepEqual(Object.keys(s.columns).slice(0, 3), ['Status', 'Duration', 'CreditHistory']);
    assert.equal(Object.keys(s.columns).at(-1), 'Label');
    assert.equal(p.spec.sample.key, 'row');
    assert.deepEqual(p.label.columns, ['Label']);
    const onehot = p.spec.sample.features.filter((n) => p.tables.get('scaled')?.get(n)?.onehot);
    assert.equal(onehot.length, 13);
    assert.equal(p.spec.sample.features.length, 21);
    assert.deepEqual(p.featureSources.monthly_amount, ['german.CreditAmount', 'german.Duration']);
  });

  it('credit-risk declares exactly the features of the hand-written pipeline, in its order, with its column lineage', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-credit-yaml-'));
    try {
      await generateCreditRisk({ applicants: 300, seed: 3, outDir: dir });
      const hand = await runCreditRiskPipeline(dir, { mode: 'row' });
      const p = shipped('credit-risk.yaml');
      const table = p.tables.get(p.spec.sample.table)!;
      const features = p.spec.sample.features;
      const numerics = hand.featureNames.filter((n) => !n.includes('='));
      const encoded = [
        ...new Set(hand.featureNames.filter((n) => n.includes('=')).map((n) => n.split('=')[0])),
      ];
      assert.deepEqual(features, [...numerics, ...encoded]);
      assert.equal(numerics.length, 33);
      assert.deepEqual(
        features.filter((n) => table.get(n)?.onehot),
        encoded,
      );
      const step = (kind: string) => p.spec.steps.find((s) => s.kind === kind)!;
      assert.deepEqual(step('standardize'), { ...step('standardize'), columns: numerics });
      assert.deepEqual(step('onehot'), { ...step('onehot'), max_categories: 12, other: false });
      assert.deepEqual(step('split'), { ...step('split'), test_fraction: 0.2, seed: 7 });
      // the hand-written frame's column lineage (`table.column`) is the file's, feature by feature
      for (const n of numerics)
        assert.deepEqual(p.featureSources[n], [...hand.frame.column(n).sources].sort(), n);
      for (const name of hand.featureNames.filter((n) => n.includes('=')))
        assert.deepEqual(
          p.featureSources[name.split('=')[0]],
          [...hand.frame.column(name).sources].sort(),
          name,
        );
      // the same samples: labelled applications, keyed by SK_ID_CURR
      assert.deepEqual(p.label.columns, ['TARGET']);
      assert.equal(p.spec.sample.key, 'SK_ID_CURR');
      assert.ok(hand.keys.length > 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
