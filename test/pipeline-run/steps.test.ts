import assert from 'node:assert/strict';
import { InputError, UsageError } from '../../src/errors.js';
import { runDeclaredPipeline } from '../../src/pipeline-run/run-declared-pipeline.js';
import { SeededRandom } from '../../src/util/seeded-random.js';
import { matrixColumn, memTables, pipelineOf, provenanceOf, values } from './helpers.js';

/** A source `t` (id, x, s, y) as YAML. */
const sourceT = `sources:
  - name: t
    path: t.csv
    key: id
    columns: { id: integer, x: number, s: category, y: integer }
`;
const tableT = {
  t: {
    id: [1, 2, 3, 4, 5, 6],
    x: [10, Number.NaN, 30, 5, 40, 20],
    s: ['a', 'b', null, 'a', 'c', 'a'],
    y: [0, 1, 1, 0, 1, 0],
  },
};

describe('pipeline runs: each step kind on hand-computed tables', () => {
  it('filter, derive (number, boolean and string columns), drop, select', () => {
    const p = pipelineOf(`${sourceT}steps:
  - id: big
    kind: filter
    input: t
    where: x > 6
  - id: d
    kind: derive
    input: big
    columns:
      x2: x * 2
      large: x >= 30
      tag: "if(x > 25, 'big', s)"
  - id: dr
    kind: drop
    input: d
    columns: [s]
  - id: sel
    kind: select
    input: dr
    columns: [id, tag, x2, large, y]
sample: { table: sel, key: id, label: y == 1, features: [x2, large] }
`);
    const r = runDeclaredPipeline(p, memTables(tableT), { mode: 'row' });
    // x > 6 keeps ids 1, 3, 5, 6 (x missing for id 2: the condition is missing, the row goes)
    assert.deepEqual(r.keys, ['1', '3', '5', '6']);
    assert.deepEqual(r.frame.names, ['id', 'tag', 'x2', 'large', 'y']);
    assert.deepEqual(values(r.frame, 'x2'), [20, 60, 80, 40]);
    assert.deepEqual(values(r.frame, 'tag'), ['a', 'big', 'big', 'a']);
    assert.deepEqual(r.frame.column('tag').sources, ['t.s', 't.x']);
    assert.deepEqual(r.featureNames, ['x2', 'large']);
    assert.deepEqual([...r.matrix.data], [20, 0, 60, 1, 80, 1, 40, 0]);
    assert.deepEqual([...r.labels], [0, 1, 1, 0]);
    assert.deepEqual([...r.split], [0, 0, 0, 0], 'no split step: every sample is train');
    assert.deepEqual(
      [0, 1, 2, 3].map((i) => provenanceOf(r.frame, i)),
      [['t:0'], ['t:2'], ['t:4'], ['t:5']],
    );
    const kinds = r.lineage!.ops.map((o) => `${o.step ?? '-'}/${o.kind}`);
    assert.deepEqual(kinds, ['-/load', 'big/filter', 'd/derive', 'dr/select', 'sel/select']);
    assert.equal(r.lineage!.ops[1].name, 'big: filter x > 6');
  });

  it('aggregate: every measure, groups in order of first appearance, each group from exactly its rows', () => {
    const p = pipelineOf(`sources:
  - name: c
    path: c.csv
    columns: { k: integer, v: number, cat: string, when: { type: date, pattern: YYYY-MM-DD } }
steps:
  - id: g
    kind: aggregate
    input: c
    by: [k]
    measures:
      n: { fn: count }
      nv: { fn: count, column: v }
      nd: { fn: count_distinct, column: v }
      ncat: { fn: count_distinct, column: cat }
      s: { fn: sum, column: v }
      m: { fn: mean, column: v }
      lo: { fn: min, column: v }
      hi: { fn: max, column: v }
      f: { fn: first, column: v }
      l: { fn: last, column: v }
      fc: { fn: first, column: cat }
      lc: { fn: last, column: cat }
      latest: { fn: max, column: when }
      sh: { fn: share, where: v > 2 }
sample: { table: g, key: k, label: n > 1, features: [s, m, sh] }
`);
    const r = runDeclaredPipeline(
      p,
      memTables({
        c: {
          k: [1, 1, 2, 2, 2, 3, Number.NaN],
          v: [5, Number.NaN, 1, 3, 3, 7, 9],
          cat: ['x', 'y', null, 'z', 'z', 'x', 'y'],
          when: [100, 200, 150, Number.NaN, 120, 90, 10],
        },
      }),
    );
    const f = r.frame;
    assert.deepEqual(r.keys, ['1', '2', '3']);
    assert.deepEqual(f.names, [
      'k',
      'n',
      'nv',
      'nd',
      'ncat',
      's',
      'm',
      'lo',
      'hi',
      'f',
      'l',
      'fc',
      'lc',
      'latest',
      'sh',
    ]);
    assert.deepEqual(values(f, 'n'), [2, 3, 1]);
    assert.deepEqual(values(f, 'nv'), [1, 3, 1]);
    assert.deepEqual(values(f, 'nd'), [1, 2, 1]);
    assert.deepEqual(values(f, 'ncat'), [2, 1, 1]);
    assert.deepEqual(values(f, 's'), [5, 7, 7]);
    assert.deepEqual(values(f, 'm'), [5, 7 / 3, 7]);
    assert.deepEqual(values(f, 'lo'), [5, 1, 7]);
    assert.deepEqual(values(f, 'hi'), [5, 3, 7]);
    assert.deepEqual(values(f, 'f'), [5, 1, 7]);
    assert.deepEqual(values(f, 'l'), [5, 3, 7]);
    assert.deepEqual(values(f, 'fc'), ['x', 'z', 'x']);
    assert.deepEqual(values(f, 'lc'), ['y', 'z', 'x']);
    assert.deepEqual(values(f, 'latest'), [200, 150, 90]);
    assert.deepEqual(values(f, 'sh'), [0.5, 2 / 3, 1]);
    assert.deepEqual(f.column('sh').sources, ['c.v']);
    assert.deepEqual(
      [0, 1, 2].map((i) => provenanceOf(f, i)),
      [['c:0', 'c:1'], ['c:2', 'c:3', 'c:4'], ['c:5']],
    );
    assert.deepEqual([...r.labels], [1, 1, 0]);
    // the share condition is a derive op of the same step, then the aggregate
    const ops = r.lineage!.ops.filter((o) => o.step === 'g');
    assert.deepEqual(
      ops.map((o) => o.kind),
      ['derive', 'aggregate'],
    );
  });

  describe('join', () => {
    const sources = `sources:
  - name: loan
    path: loan.csv
    key: loan_id
    columns: { loan_id: integer, acc: integer, amount: number, bad: boolean }
  - name: account
    path: account.csv
    key: acc_id
    columns: { acc_id: integer, region: category, amount: number }
`;
    const data = (accIds = [1, 2, 3]) =>
      memTables({
        loan: { loan_id: [10, 11, 12, 13], acc: [1, 2, 1, 9], amount: [5, 6, 7, 8], bad: [0, 1, 0, 1] },
        account: { acc_id: accIds, region: accIds.map((a) => `r${a}`), amount: accIds.map((a) => a * 100) },
      });
    const joinStep = (how: string, cardinality = 'many-to-one') => `steps:
  - id: j
    kind: join
    left: loan
    right: account
    how: ${how}
    on: [{ left: acc, right: acc_id }]
    cardinality: ${cardinality}
    suffix: _acc
sample: { table: j, key: loan_id, label: bad, features: [amount, amount_acc] }
`;

    it('left, on differently named keys: the right key is not repeated, a collision gets the suffix', () => {
      const r = runDeclaredPipeline(pipelineOf(sources + joinStep('left')), data());
      assert.deepEqual(r.frame.names, ['loan_id', 'acc', 'amount', 'bad', 'region', 'amount_acc']);
      assert.deepEqual(values(r.frame, 'region'), ['r1', 'r2', 'r1', null]);
      assert.deepEqual(values(r.frame, 'amount_acc'), [100, 200, 100, Number.NaN]);
      assert.deepEqual(
        [0, 1, 2, 3].map((i) => provenanceOf(r.frame, i)),
        [['account:0', 'loan:0'], ['account:1', 'loan:1'], ['account:0', 'loan:2'], ['loan:3']],
      );
      assert.ok(r.warnings.some((w) => /feature "amount_acc" is missing for 1 of 4 samples/.test(w)));
      assert.ok(Number.isNaN(r.matrix.data[7]), 'a missing feature stays NaN in the matrix');
    });

    it('inner keeps matched rows only', () => {
      const r = runDeclaredPipeline(pipelineOf(sources + joinStep('inner')), data());
      assert.deepEqual(r.keys, ['10', '11', '12']);
    });

    it('a declared cardinality the data breaks: pipeline.joinCardinality names the step and the first key', () => {
      assert.throws(
        () => runDeclaredPipeline(pipelineOf(sources + joinStep('left')), data([3, 1, 2, 1])),
        (err: unknown) => {
          assert.ok(err instanceof InputError, String(err));
          assert.equal(err.code, 'pipeline.joinCardinality');
          assert.match(
            err.message,
            /^step "j": join "j: join loan ⟕ account on acc = acc_id" is declared many-to-one/,
          );
          assert.match(err.message, /right key acc_id = 1 occurs more than once/);
          return true;
        },
      );
      assert.throws(
        () => runDeclaredPipeline(pipelineOf(sources + joinStep('left', 'one-to-one')), data()),
        (err: unknown) =>
          err instanceof InputError &&
          err.code === 'pipeline.joinCardinality' &&
          /left key acc = 1 occurs more than once/.test(err.message),
      );
    });
  });

  describe('onehot', () => {
    const onehot = (other: string) => `${sourceT}steps:
  - id: e
    kind: onehot
    input: t
    columns: [s]
    max_categories: 1
    other: ${other}
sample: { table: e, key: id, label: y == 1, features: [x, s] }
`;

    it('expands a one-hot feature to its indicators in fitted order, the rest in the other bucket', () => {
      const r = runDeclaredPipeline(pipelineOf(onehot('rest')), memTables(tableT), { mode: 'row' });
      assert.deepEqual(r.featureNames, ['x', 's=a', 's=rest']);
      assert.deepEqual(matrixColumn(r.matrix, 1), [1, 0, 0, 1, 0, 1]);
      assert.deepEqual(matrixColumn(r.matrix, 2), [0, 1, 0, 0, 1, 0], 'b and c: rest; missing: none');
      assert.deepEqual(r.fitted.e, {
        kind: 'onehot',
        fitOn: 'all rows',
        columns: { s: { categories: ['a'], other: 'rest' } },
      });
      const op = r.lineage!.ops.find((o) => o.step === 'e')!;
      assert.equal(op.kind, 'encode');
      assert.equal(op.params.fitOn, 'all rows');
      assert.deepEqual(provenanceOf(r.frame, 4), ['t:4']);
      assert.deepEqual(r.lineage!.featureColumns!['s=rest'], ['t.s']);
    });

    it('other: false leaves the rest as all zeros', () => {
      const r = runDeclaredPipeline(pipelineOf(onehot('false')), memTables(tableT));
      assert.deepEqual(r.featureNames, ['x', 's=a']);
      assert.deepEqual(r.fitted.e, {
        kind: 'onehot',
        fitOn: 'all rows',
        columns: { s: { categories: ['a'], other: null } },
      });
    });
  });

  it('split, then standardize and impute fitted on the train rows only; the split recorded by key', () => {
    const p = pipelineOf(`${sourceT}steps:
  - id: sp
    kind: split
    input: t
    test_fraction: 0.5
    seed: 9
  - id: im
    kind: impute
    input: sp
    columns: [x]
    strategy: mean
  - id: sc
    kind: standardize
    input: im
    columns: [x]
sample: { table: sc, key: id, label: y == 1, features: [x] }
`);
    const r = runDeclaredPipeline(p, memTables(tableT), { mode: 'row' });
    // the plain seeded draw of trainTestSplit: 3 of 6 rows to test
    const perm = new SeededRandom(9, 'mulberry32').permutation(6);
    const want = new Uint8Array(6);
    for (let k = 0; k < 3; k++) want[perm[k]] = 1;
    assert.deepEqual(r.split, want);
    const x = tableT.t.x;
    const train = x.filter((v, i) => want[i] === 0 && !Number.isNaN(v));
    const mean = train.reduce((a, b) => a + b, 0) / train.length;
    const filled = x.map((v) => (Number.isNaN(v) ? mean : v));
    const trainFilled = filled.filter((_, i) => want[i] === 0);
    const m2 = trainFilled.reduce((a, b) => a + b, 0) / trainFilled.length;
    const sd = Math.sqrt(trainFilled.reduce((a, b) => a + (b - m2) ** 2, 0) / trainFilled.length);
    assert.deepEqual(r.fitted.im, {
      kind: 'impute',
      fitOn: 'train rows of split sp',
      strategy: 'mean',
      values: { x: mean },
    });
    assert.equal((r.fitted.sc as { means: Record<string, number> }).means.x, m2);
    const got = matrixColumn(r.matrix, 0);
    for (const [i, v] of filled.entries()) assert.ok(Math.abs(got[i] - (v - m2) / sd) < 1e-12, `row ${i}`);
    const splitOp = r.lineage!.ops.find((o) => o.kind === 'split')!;
    assert.deepEqual(splitOp.params, { testFraction: 0.5, seed: 9, train: 3, test: 3, key: 'id' });
    assert.deepEqual([...r.lineage!.samples.split], [...want]);
  });

  it('impute: median, mode and constants of every type (booleans as 0/1, dates as epoch days)', () => {
    const p = pipelineOf(`sources:
  - name: t
    path: t.csv
    columns:
      id: integer
      n: number
      s: string
      b: boolean
      d: { type: date, pattern: YYYY-MM-DD }
      y: integer
steps:
  - id: med
    kind: impute
    input: t
    columns: [n]
    strategy: median
  - id: mode
    kind: impute
    input: med
    columns: [s]
    strategy: mode
  - id: cb
    kind: impute
    input: mode
    columns: [b]
    strategy: constant
    value: true
  - id: cd
    kind: impute
    input: cb
    columns: [d]
    strategy: constant
    value: '2020-01-01'
sample: { table: cd, key: id, label: y == 1, features: [n, b] }
`);
    const r = runDeclaredPipeline(
      p,
      memTables({
        t: {
          id: [1, 2, 3, 4, 5],
          n: [3, Number.NaN, 1, 10, Number.NaN],
          s: ['p', null, 'q', 'q', null],
          b: [0, Number.NaN, 0, 1, 0],
          d: [10, 20, Number.NaN, 30, 40],
          y: [0, 1, 0, 1, 1],
        },
      }),
    );
    assert.deepEqual(values(r.frame, 'n'), [3, 3, 1, 10, 3]);
    assert.deepEqual(values(r.frame, 's'), ['p', 'q', 'q', 'q', 'q']);
    assert.deepEqual(values(r.frame, 'b'), [0, 1, 0, 1, 0]);
    assert.deepEqual(values(r.frame, 'd'), [10, 20, 18262, 30, 40]);
    assert.deepEqual(r.fitted.cb, {
      kind: 'impute',
      fitOn: 'constant',
      strategy: 'constant',
      values: { b: 1 },
    });
  });

  it('stratified split: each label class keeps its share in test', () => {
    const n = 40;
    const y = Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 1 : 0));
    const p = pipelineOf(`${sourceT}steps:
  - id: sp
    kind: split
    input: t
    test_fraction: 0.2
    seed: 5
    stratify: true
sample: { table: sp, key: id, label: y == 1, features: [x] }
`);
    const r = runDeclaredPipeline(
      p,
      memTables({
        t: {
          id: y.map((_, i) => i + 1),
          x: y.map((_, i) => i),
          s: y.map(() => 'a'),
          y,
        },
      }),
    );
    const testOf = (cls: number) => y.filter((v, i) => v === cls && r.split[i] === 1).length;
    assert.equal(testOf(1), 2); // 10 positives
    assert.equal(testOf(0), 6); // 30 negatives
    assert.equal(r.lineage!.ops.at(-1)!.params.stratified, true);
  });

  it('row_key: a source without an id column gets its 0-based data rows as a number column', () => {
    const p = pipelineOf(`sources:
  - name: t
    path: t.csv
    row_key: row
    columns: { x: number, y: integer }
steps:
  - id: kept
    kind: filter
    input: t
    where: x > 1
sample: { table: kept, key: row, label: y == 1, features: [x] }
`);
    const r = runDeclaredPipeline(p, memTables({ t: { x: [5, 0, 2, 7], y: [1, 0, 0, 1] } }), { mode: 'row' });
    assert.deepEqual(r.keys, ['0', '2', '3']);
    assert.deepEqual(r.frame.names, ['row', 'x', 'y']);
    assert.deepEqual(
      [0, 1, 2].map((i) => provenanceOf(r.frame, i)),
      [['t:0'], ['t:2'], ['t:3']],
    );
    assert.deepEqual(r.frame.column('row').sources, ['t.row']);
  });

  it('filter max_left_out: what it leaves out is reported (data rows of a source), more than the limit stops the run', () => {
    const p = (max: number, input = 't', extra = '') =>
      pipelineOf(`${sourceT}steps:${extra}
  - id: known
    kind: filter
    input: ${input}
    where: is_not_null(x) and is_not_null(s)
    max_left_out: ${max}
sample: { table: known, key: id, label: y == 1, features: [x] }
`);
    // ids 2 (x missing) and 3 (s missing) go: 2 of 6 rows; erasing data row 0 first leaves 5 rows
    const r = runDeclaredPipeline(p(0.4), memTables(tableT), { excludeRows: { t: [0] } });
    assert.deepEqual(r.keys, ['4', '5', '6']);
    assert.deepEqual(r.leftOut, {
      known: {
        input: 't',
        count: 2,
        rows: 5,
        rate: 0.4,
        examples: [
          { row: 1, values: { x: null, s: 'b' } },
          { row: 2, values: { x: 30, s: null } },
        ],
      },
    });
    assert.ok(
      r.warnings.includes(
        'step "known" left out 2 of 5 rows of t (40.0%) for which "is_not_null(x) and is_not_null(s)" is not true (e.g. data row 1: x missing, s "b"; data row 2: x 30, s missing)',
      ),
      r.warnings.join('\n'),
    );
    assert.throws(
      () => runDeclaredPipeline(p(0.3), memTables(tableT)),
      (err: unknown) =>
        err instanceof InputError &&
        err.code === 'pipeline.tooManyLeftOut' &&
        err.message ===
          'step "known" left out 2 of 6 rows of t (33.3%) for which "is_not_null(x) and is_not_null(s)" is not true, more than its max_left_out 30.0% allows (e.g. data row 1: x missing, s "b"; data row 2: x 30, s missing); fix the data or raise max_left_out',
    );
    // leaving out every row stops the run whatever the limit
    assert.throws(
      () =>
        runDeclaredPipeline(
          pipelineOf(
            `${sourceT}steps:\n  - { id: known, kind: filter, input: t, where: x > 1000, max_left_out: 1 }\nsample: { table: known, key: id, label: y == 1, features: [x] }\n`,
          ),
          memTables(tableT),
        ),
      (err: unknown) =>
        err instanceof InputError &&
        err.code === 'pipeline.tooManyLeftOut' &&
        /left out 6 of 6 rows of t \(100\.0%\) for which "x > 1000" is not true: all of them \(e\.g\. data row 0: x 10; .*; …\); is the condition/.test(
          err.message,
        ),
    );
    // a derive keeps the source's rows (data rows still); after a filter, rows are its output's
    const derived = runDeclaredPipeline(
      p(0.5, 'd', '\n  - id: d\n    kind: derive\n    input: t\n    columns: { z: x }'),
      memTables(tableT),
      { excludeRows: { t: [0] } },
    );
    assert.deepEqual(
      derived.leftOut.known.examples.map((e) => e.row),
      [1, 2],
    );
    const filtered = runDeclaredPipeline(
      p(0.5, 'd', '\n  - id: d\n    kind: filter\n    input: t\n    where: id > 1'),
      memTables(tableT),
    );
    assert.deepEqual(
      filtered.leftOut.known.examples.map((e) => e.row),
      [0, 1],
    );
    assert.match(filtered.warnings[0], /\(e\.g\. row 0: x missing, s "b"; row 1: x 30, s missing\)$/);
    // without max_left_out: no report
    const plain = runDeclaredPipeline(
      pipelineOf(
        `${sourceT}steps:\n  - { id: known, kind: filter, input: t, where: is_not_null(x) }\nsample: { table: known, key: id, label: y == 1, features: [x] }\n`,
      ),
      memTables(tableT),
    );
    assert.deepEqual(plain.leftOut, {});
  });

  describe('sample errors', () => {
    const sample = (label: string, extra = '') =>
      `${sourceT}${extra}sample: { table: t, key: id, label: "${label}", features: [x] }\n`;

    it('pipeline.badLabel names the first sample whose label is not 0/1', () => {
      assert.throws(
        () => runDeclaredPipeline(pipelineOf(sample('y + 1')), memTables(tableT)),
        (err: unknown) =>
          err instanceof InputError &&
          err.code === 'pipeline.badLabel' &&
          /^sample id = 2: the label "y \+ 1" gives 2; expected 0 or 1/.test(err.message),
      );
      assert.throws(
        () => runDeclaredPipeline(pipelineOf(sample('x > 6')), memTables(tableT)),
        /sample id = 2: the label "x > 6" gives a missing value/,
      );
    });

    it('pipeline.sampleKey: a key twice among the samples', () => {
      const dup = { t: { ...tableT.t, id: [1, 2, 3, 2, 5, 6] } };
      assert.throws(
        () => runDeclaredPipeline(pipelineOf(sample('y == 1')), memTables(dup)),
        (err: unknown) =>
          err instanceof InputError &&
          err.code === 'pipeline.sampleKey' &&
          /samples 1 and 3 have the same key id = 2/.test(err.message),
      );
    });

    it('pipeline.sampleKey: a split whose input has a key twice (numeric and text keys)', () => {
      const split = (key: string) =>
        `${sourceT}steps:\n  - { id: sp, kind: split, input: t, test_fraction: 0.5, seed: 1 }\nsample: { table: sp, key: ${key}, label: y == 1, features: [x] }\n`;
      const dup = { t: { ...tableT.t, id: [1, 2, 3, 2, 5, 6] } };
      assert.throws(
        () => runDeclaredPipeline(pipelineOf(split('id')), memTables(dup)),
        (err: unknown) =>
          err instanceof InputError &&
          err.code === 'pipeline.sampleKey' &&
          /^step "sp": sample key id = 2 occurs in rows 1 and 3 of the split's input/.test(err.message),
      );
      // s: a, b, missing, a, …: the text key "a" repeats at row 3 (a missing key is no key)
      assert.throws(
        () => runDeclaredPipeline(pipelineOf(split('s')), memTables(tableT)),
        /step "sp": sample key s = a occurs in rows 0 and 3 of the split's input/,
      );
      // unique keys pass
      const unique = { t: { ...tableT.t, s: ['a', 'b', null, 'd', 'c', 'e'] } };
      assert.throws(
        () => runDeclaredPipeline(pipelineOf(split('s')), memTables(unique)),
        /sample 2: its key s is missing/,
      );
      assert.equal(runDeclaredPipeline(pipelineOf(split('id')), memTables(tableT)).keys.length, 6);
    });

    it('pipeline.sourceMismatch: a missing table or a column of the other kind', () => {
      assert.throws(
        () => runDeclaredPipeline(pipelineOf(sample('y == 1')), memTables({})),
        (err: unknown) => err instanceof InputError && err.code === 'pipeline.sourceMismatch',
      );
      const wrong = { t: { ...tableT.t, s: [1, 2, 3, 4, 5, 6] } };
      assert.throws(
        () => runDeclaredPipeline(pipelineOf(sample('y == 1')), memTables(wrong)),
        /column "s" is declared category, expected it as a categorical column, got a numeric one/,
      );
    });

    it('onlyRows needs reuse; per-source options name declared sources', () => {
      assert.throws(
        () =>
          runDeclaredPipeline(pipelineOf(sample('y == 1')), memTables(tableT), {
            onlyRows: { t: new Set([0]) },
          }),
        (err: unknown) => err instanceof UsageError && err.code === 'pipeline.onlyRowsWithoutReuse',
      );
      assert.throws(
        () =>
          runDeclaredPipeline(pipelineOf(sample('y == 1')), memTables(tableT), {
            excludeRows: { nope: [0] },
          }),
        (err: unknown) => err instanceof UsageError && err.code === 'pipelines.badExcludeRows',
      );
    });
  });
});
