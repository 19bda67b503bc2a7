import assert from 'node:assert/strict';
import { InputError, UsageError } from '../../src/errors.js';
import { aggregate } from '../../src/lineage/aggregate.js';
import { derive } from '../../src/lineage/derive.js';
import type { Frame } from '../../src/lineage/frame.js';
import { Imputer } from '../../src/lineage/imputer.js';
import { join } from '../../src/lineage/join.js';
import { OneHotEncoder } from '../../src/lineage/one-hot-encoder.js';
import { Pipeline } from '../../src/lineage/pipeline.js';
import { trainTestSplit } from '../../src/lineage/train-test-split.js';
import { SeededRandom } from '../../src/util/seeded-random.js';
import { lcg, memTable, sorted } from './helpers.js';

/** Row `i`'s provenance as a plain sorted array. */
const prov = (f: Frame, i: number) => sorted(f.sourceRows(i));
const offsetOf = (p: Pipeline, table: string) => p.files.find((f) => f.table === table)!.globalOffset;
/** A categorical column's values as texts (`null` for missing). */
const texts = (f: Frame, name: string) => {
  const c = f.cat(name);
  return [...c.codes].map((k) => (k < 0 ? null : c.dictionary[k]));
};

describe('lineage: transforms of the pipeline-file steps', () => {
  describe('aggregate: count_distinct, first, last, share, count of a categorical', () => {
    // groups by k in order of first appearance: 1 (rows 0, 1), 2 (rows 2, 3, 4), 3 (row 5); row 6 has no key
    const child = {
      k: [1, 1, 2, 2, 2, 3, Number.NaN],
      v: [5, Number.NaN, 1, 3, 3, 7, 9],
      c: ['x', 'y', null, 'z', 'z', 'x', 'y'],
      hit: [1, Number.NaN, 0, 1, 1, 1, 1],
    };
    const run = () => {
      const p = new Pipeline({ name: 't', mode: 'row' });
      const t = p.source(memTable('c', child));
      const g = aggregate(t, {
        name: 'per k',
        by: ['k'],
        columns: {
          nd: { fn: 'count_distinct', column: 'v' },
          ncd: { fn: 'count_distinct', column: 'c' },
          nc: { fn: 'count', column: 'c' },
          f: { fn: 'first', column: 'v' },
          l: { fn: 'last', column: 'v' },
          fc: { fn: 'first', column: 'c' },
          lc: { fn: 'last', column: 'c' },
          sh: { fn: 'share', column: 'hit' },
        },
      });
      return { p, g };
    };

    it('computes the hand-worked values, missing values skipped, first/last in row order', () => {
      const { g } = run();
      assert.deepEqual([...g.num('k')], [1, 2, 3]);
      assert.deepEqual([...g.num('nd')], [1, 2, 1]);
      assert.deepEqual([...g.num('ncd')], [2, 1, 1]);
      assert.deepEqual([...g.num('nc')], [2, 2, 1]);
      assert.deepEqual([...g.num('f')], [5, 1, 7]);
      assert.deepEqual([...g.num('l')], [5, 3, 7]);
      assert.deepEqual(texts(g, 'fc'), ['x', 'z', 'x']);
      assert.deepEqual(texts(g, 'lc'), ['y', 'z', 'x']);
      // share: the missing condition of row 1 counts as not true; the denominator is the group size
      assert.deepEqual([...g.num('sh')], [0.5, 2 / 3, 1]);
      assert.deepEqual(g.column('fc').sources, ['c.c']);
      assert.deepEqual(g.column('nd').sources, ['c.v']);
    });

    it('each group derives from exactly its rows', () => {
      const { p, g } = run();
      const o = offsetOf(p, 'c');
      assert.deepEqual(prov(g, 0), [o, o + 1]);
      assert.deepEqual(prov(g, 1), [o + 2, o + 3, o + 4]);
      assert.deepEqual(prov(g, 2), [o + 5]);
    });

    it('count_distinct agrees with a naive set count on random data', () => {
      const r = lcg(5);
      const k: number[] = [];
      const v: number[] = [];
      for (let i = 0; i < 3000; i++) {
        k.push(Math.floor(r() * 50));
        v.push(r() < 0.1 ? Number.NaN : Math.floor(r() * 20));
      }
      const p = new Pipeline({ name: 't', mode: 'none' });
      const g = aggregate(p.source(memTable('t', { k, v })), {
        name: 'g',
        by: ['k'],
        columns: { n: { fn: 'count_distinct', column: 'v' } },
      });
      const want = new Map<number, Set<number>>();
      k.forEach((key, i) => {
        if (!want.has(key)) want.set(key, new Set());
        if (!Number.isNaN(v[i])) want.get(key)!.add(v[i]);
      });
      const keys = g.num('k');
      const n = g.num('n');
      assert.equal(g.rows, want.size);
      for (let i = 0; i < g.rows; i++) assert.equal(n[i], want.get(keys[i])!.size);
    });

    it('refuses sum of a categorical column', () => {
      const p = new Pipeline({ name: 't', mode: 'none' });
      const t = p.source(memTable('c', child));
      assert.throws(
        () => aggregate(t, { name: 'g', by: ['k'], columns: { s: { fn: 'sum', column: 'c' } } }),
        (err: unknown) => err instanceof UsageError && err.code === 'lineage.columnType',
      );
    });
  });

  describe('join: declared cardinality', () => {
    const tables = (accountIds: number[], loanAccounts = [1, 2, 1, 9]) => {
      const p = new Pipeline({ name: 't', mode: 'row' });
      const loan = p.source(memTable('loan', { loan_id: [10, 11, 12, 13], acc: loanAccounts }));
      const account = p.source(
        memTable('account', {
          acc_id: accountIds,
          region: accountIds.map((_, i) => (i % 2 === 0 ? 'n' : 's')),
        }),
      );
      return { p, loan, account };
    };

    it('a many-to-one left join on differently named keys: the right key is not repeated, provenance pairs rows', () => {
      const { p, loan, account } = tables([1, 2, 3]);
      const j = join(loan, account, {
        name: 'loan ⟕ account',
        on: { left: ['acc'], right: ['acc_id'] },
        how: 'left',
        cardinality: 'many-to-one',
      });
      assert.deepEqual(j.names, ['loan_id', 'acc', 'region']);
      assert.deepEqual(texts(j, 'region'), ['n', 's', 'n', null]);
      const lo = offsetOf(p, 'loan');
      const ao = offsetOf(p, 'account');
      assert.deepEqual(prov(j, 0), [lo, ao]);
      assert.deepEqual(prov(j, 1), [lo + 1, ao + 1]);
      assert.deepEqual(prov(j, 2), [lo + 2, ao]);
      assert.deepEqual(prov(j, 3), [lo + 3]);
      assert.equal(p.ops.at(-1)!.params.cardinality, 'many-to-one');
    });

    it('many-to-one: a right key twice is refused, naming the step and the first repeated key', () => {
      const { p, loan, account } = tables([4, 2, 2, 4, 1]);
      p.beginStep('loan_account');
      assert.throws(
        () =>
          join(loan, account, {
            name: 'loan_account: join',
            on: { left: ['acc'], right: ['acc_id'] },
            how: 'left',
            cardinality: 'many-to-one',
          }),
        (err: unknown) => {
          assert.ok(err instanceof InputError);
          assert.equal(err.code, 'pipeline.joinCardinality');
          // rows 1 and 2 hold acc_id 2: the first repeat in row order (4 repeats later, at row 3)
          assert.match(
            err.message,
            /^step "loan_account": join "loan_account: join" is declared many-to-one/,
          );
          assert.match(err.message, /right key acc_id = 2 occurs more than once .*rows 1 and 2/);
          return true;
        },
      );
    });

    it('one-to-one also refuses a left key twice; many-to-one allows it', () => {
      const { loan, account } = tables([1, 2, 3]);
      const ok = join(loan, account, {
        name: 'j',
        on: { left: ['acc'], right: ['acc_id'] },
        cardinality: 'many-to-one',
      });
      assert.equal(ok.rows, 3);
      assert.throws(
        () =>
          join(loan, account, {
            name: 'j',
            on: { left: ['acc'], right: ['acc_id'] },
            cardinality: 'one-to-one',
          }),
        (err: unknown) =>
          err instanceof InputError &&
          err.code === 'pipeline.joinCardinality' &&
          /left key acc = 1 occurs more than once .*rows 0 and 2/.test(err.message),
      );
    });

    it('a categorical key is named with its text', () => {
      const p = new Pipeline({ name: 't', mode: 'none' });
      const a = p.source(memTable('a', { k: ['u', 'v'] }));
      const b = p.source(memTable('b', { k: ['v', 'u', 'v'], w: [1, 2, 3] }));
      assert.throws(
        () => join(a, b, { name: 'j', on: ['k'], cardinality: 'many-to-one' }),
        /right key k = "v" occurs more than once/,
      );
    });
  });

  it('derive makes categorical columns too, with column lineage', () => {
    const p = new Pipeline({ name: 't', mode: 'row' });
    const t = p.source(memTable('t', { x: [1, 50, Number.NaN] }));
    const d = derive(t, {
      name: 'size',
      inputs: ['x'],
      computeCategory: (c) => {
        const x = c.num('x');
        return {
          codes: Int32Array.from(x, (v) => (Number.isNaN(v) ? -1 : v > 10 ? 1 : 0)),
          dictionary: ['small', 'large'],
        };
      },
    });
    assert.deepEqual(texts(d, 'size'), ['small', 'large', null]);
    assert.deepEqual(d.column('size').sources, ['t.x']);
    assert.deepEqual(p.ops.at(-1)!.columns, { size: ['x'] });
  });

  describe('one-hot: the other bucket', () => {
    // a: 3, b: 2, c: 1, d: 1 (train rows: all but the last, which holds the unseen e)
    const values = ['a', 'b', 'a', 'c', 'b', 'd', 'a', 'e', null];
    const frame = () => new Pipeline({ name: 't', mode: 'op' }).source(memTable('t', { c: values }));
    const trainMask = Uint8Array.from(values, (v) => (v === 'e' ? 0 : 1));
    const column = (f: Frame, name: string) => [...f.num(name)];

    it('categories beyond the maximum, and unseen ones, go to COLUMN=<other>; missing stays all zeros', () => {
      const f = frame();
      const enc = OneHotEncoder.fit(f, { columns: ['c'], trainMask, maxCategories: 2, other: 'rest' });
      assert.deepEqual(enc.outputNames, ['c=a', 'c=b', 'c=rest']);
      const e = enc.transform(f);
      assert.deepEqual(column(e, 'c=a'), [1, 0, 1, 0, 0, 0, 1, 0, 0]);
      assert.deepEqual(column(e, 'c=b'), [0, 1, 0, 0, 1, 0, 0, 0, 0]);
      assert.deepEqual(column(e, 'c=rest'), [0, 0, 0, 1, 0, 1, 0, 1, 0]);
      const op = f.pipeline.ops.at(-1)!;
      assert.deepEqual(op.params.other, { c: 'rest' });
      assert.deepEqual(op.columns!['c=rest'], ['c']);
    });

    it('without a bucket, as before, they encode as all zeros', () => {
      const f = frame();
      const enc = OneHotEncoder.fit(f, { columns: ['c'], trainMask, maxCategories: 2 });
      assert.deepEqual(enc.outputNames, ['c=a', 'c=b']);
      const e = enc.transform(f);
      assert.equal(e.has('c=rest'), false);
      assert.deepEqual(column(e, 'c=b'), [0, 1, 0, 0, 1, 0, 0, 0, 0]);
      assert.equal(f.pipeline.ops.at(-1)!.params.other, undefined);
    });

    it('a column with no category left out gets no bucket; given categories reproduce the encoding', () => {
      const f = frame();
      const enc = OneHotEncoder.fit(f, { columns: ['c'], trainMask, maxCategories: 10, other: 'rest' });
      assert.deepEqual(enc.outputNames, ['c=a', 'c=b', 'c=c', 'c=d']);
      const fitted = OneHotEncoder.fit(f, { columns: ['c'], trainMask, maxCategories: 1, other: 'rest' });
      const again = OneHotEncoder.fromCategories(fitted.categories, 'run x', fitted.others);
      assert.deepEqual(again.outputNames, ['c=a', 'c=rest']);
      assert.deepEqual(column(again.transform(f), 'c=rest'), column(fitted.transform(f), 'c=rest'));
    });

    it('refuses a bucket named like a kept category', () => {
      const f = frame();
      assert.throws(
        () => OneHotEncoder.fit(f, { columns: ['c'], maxCategories: 1, other: 'a' }),
        (err: unknown) => err instanceof UsageError && err.code === 'lineage.duplicateColumn',
      );
    });
  });

  describe('impute', () => {
    // train rows: 0-5; row 6 (test) has the extreme value 1000 that fitting must not see
    const x = [4, Number.NaN, 1, 2, 2, 10, 1000, Number.NaN];
    const s = ['u', null, 'v', 'v', 'u', 'w', 'w', null];
    const trainMask = Uint8Array.from([1, 1, 1, 1, 1, 1, 0, 0]);
    const frame = () => new Pipeline({ name: 't', mode: 'row' }).source(memTable('t', { x, s }));

    it('mean, median, mode on the train rows; the fitted values are in the op params', () => {
      const f = frame();
      const mean = Imputer.fit(f, { columns: ['x'], strategy: 'mean', trainMask });
      assert.equal(mean.values.x, (4 + 1 + 2 + 2 + 10) / 5);
      const median = Imputer.fit(f, { columns: ['x'], strategy: 'median', trainMask });
      assert.equal(median.values.x, 2);
      const even = Imputer.fit(f, {
        columns: ['x'],
        strategy: 'median',
        trainMask: Uint8Array.from([1, 0, 1, 1, 0, 1, 0, 0]),
      });
      assert.equal(even.values.x, 3); // 1, 2, 4, 10: the mean of the middle two
      const mode = Imputer.fit(f, { columns: ['x', 's'], strategy: 'mode', trainMask });
      assert.deepEqual(mode.values, { x: 2, s: 'u' }); // s: u and v twice each, the smaller text wins
      const filled = mode.transform(f, 'fill');
      assert.deepEqual([...filled.num('x')], [4, 2, 1, 2, 2, 10, 1000, 2]);
      assert.deepEqual(texts(filled, 's'), ['u', 'u', 'v', 'v', 'u', 'w', 'w', 'u']);
      const op = f.pipeline.ops.at(-1)!;
      assert.equal(op.kind, 'impute');
      assert.deepEqual(op.params, {
        strategy: 'mode',
        fitOn: 'train',
        values: { x: 2, s: 'u' },
        filled: { x: 2, s: 2 },
      });
      assert.deepEqual(filled.sourceRows(1), f.sourceRows(1));
    });

    it('a constant, also one that is new to a categorical column', () => {
      const f = frame();
      const filled = Imputer.fit(f, { columns: ['s'], strategy: 'constant', value: 'none' }).transform(f);
      assert.deepEqual(texts(filled, 's'), ['u', 'none', 'v', 'v', 'u', 'w', 'w', 'none']);
      assert.throws(
        () => Imputer.fit(f, { columns: ['x'], strategy: 'constant', value: 'none' }),
        (err: unknown) => err instanceof UsageError && err.code === 'lineage.columnType',
      );
    });

    it('nothing to fit on: the value is null and the column stays as it is', () => {
      const f = frame();
      const imp = Imputer.fit(f, {
        columns: ['x'],
        strategy: 'mean',
        trainMask: Uint8Array.from([0, 1, 0, 0, 0, 0, 0, 1]),
      });
      assert.equal(imp.values.x, null);
      assert.ok(Number.isNaN(imp.transform(f).num('x')[1]));
    });
  });

  describe('split: stratified', () => {
    const labels = Array.from({ length: 103 }, (_, i) => (i % 10 < 3 ? 1 : 0)); // 33 ones, 70 zeros
    const frame = (n = labels.length) =>
      new Pipeline({ name: 't', mode: 'op' }).source(memTable('t', { y: labels.slice(0, n) }));

    it('keeps each class share in test: round(fraction × class size) test rows per class, seeded', () => {
      const f = frame();
      const strata = Float64Array.from(labels);
      const a = trainTestSplit(f, { testFraction: 0.25, seed: 3, strata });
      const b = trainTestSplit(f, { testFraction: 0.25, seed: 3, strata });
      const c = trainTestSplit(f, { testFraction: 0.25, seed: 4, strata });
      assert.deepEqual(a.split, b.split);
      assert.notDeepEqual(a.split, c.split);
      const testOf = (cls: number) => labels.filter((y, i) => y === cls && a.split[i] === 1).length;
      assert.equal(testOf(1), Math.round(0.25 * 33));
      assert.equal(testOf(0), Math.round(0.25 * 70));
      // the draw: class 0 first, then class 1, each by the next permutation of one stream
      const rng = new SeededRandom(3, 'mulberry32');
      const want = new Uint8Array(labels.length);
      for (const cls of [0, 1]) {
        const rows = labels.flatMap((y, i) => (y === cls ? [i] : []));
        const perm = rng.permutation(rows.length);
        for (let k = 0; k < Math.round(0.25 * rows.length); k++) want[rows[perm[k]]] = 1;
      }
      assert.deepEqual(a.split, want);
      assert.equal(f.pipeline.ops.at(-1)!.params.stratified, true);
    });

    it('unstratified stays the plain seeded permutation', () => {
      const f = frame();
      const got = trainTestSplit(f, { testFraction: 0.2, seed: 7 }).split;
      const perm = new SeededRandom(7, 'mulberry32').permutation(labels.length);
      const want = new Uint8Array(labels.length);
      for (let k = 0; k < Math.round(0.2 * labels.length); k++) want[perm[k]] = 1;
      assert.deepEqual(got, want);
      assert.deepEqual(f.pipeline.ops.at(-1)!.params, { testFraction: 0.2, seed: 7, train: 82, test: 21 });
    });
  });
});
