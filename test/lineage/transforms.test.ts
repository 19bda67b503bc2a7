import assert from 'node:assert/strict';
import { UsageError } from '../../src/errors.js';
import { aggregate } from '../../src/lineage/aggregate.js';
import { concat } from '../../src/lineage/concat.js';
import { normaliseProvenance } from '../../src/lineage/csr.js';
import { derive } from '../../src/lineage/derive.js';
import { filter } from '../../src/lineage/filter.js';
import type { Frame } from '../../src/lineage/frame.js';
import { join } from '../../src/lineage/join.js';
import { OneHotEncoder } from '../../src/lineage/one-hot-encoder.js';
import { Pipeline } from '../../src/lineage/pipeline.js';
import { select } from '../../src/lineage/select.js';
import { StandardScaler } from '../../src/lineage/standard-scaler.js';
import { trainTestSplit } from '../../src/lineage/train-test-split.js';
import { lcg, memTable, sorted, sortedSet } from './helpers.js';

/** Row `i`'s provenance as a plain sorted array. */
const prov = (f: Frame, i: number) => sorted(f.sourceRows(i));
const offsetOf = (p: Pipeline, table: string) => p.files.find((f) => f.table === table)!.globalOffset;

/** Random child table: `n` rows with keys drawn from `keys` (some missing), and a value column. */
function randomChildren(seed: number, n: number, keys: number) {
  const r = lcg(seed);
  const key: number[] = [];
  const value: number[] = [];
  const kind: Array<string | null> = [];
  for (let i = 0; i < n; i++) {
    key.push(r() < 0.05 ? Number.NaN : Math.floor(r() * keys));
    value.push(r() < 0.1 ? Number.NaN : Math.round(r() * 1000) / 10);
    kind.push(r() < 0.1 ? null : r() < 0.5 ? 'a' : 'b');
  }
  return { key, value, kind };
}

describe('lineage: transforms and row provenance', () => {
  it('filter gathers provenance and values', () => {
    const r = lcg(1);
    const x = Array.from({ length: 500 }, () => Math.floor(r() * 100));
    const p = new Pipeline({ name: 't', mode: 'row' });
    const t = p.source(memTable('t', { x }));
    const f = filter(t, {
      name: 'x >= 50',
      inputs: ['x'],
      keep: (c, keep) => {
        const v = c.num('x');
        for (let i = 0; i < v.length; i++) keep[i] = v[i] >= 50 ? 1 : 0;
      },
    });
    const expected = x.map((v, i) => [v, i] as const).filter(([v]) => v >= 50);
    assert.equal(f.rows, expected.length);
    const off = offsetOf(p, 't');
    expected.forEach(([v, i], k) => {
      assert.equal(f.num('x')[k], v);
      assert.deepEqual(prov(f, k), [off + i]);
    });
    assert.equal(p.ops.at(-1)!.kind, 'filter');
    assert.deepEqual(p.ops.at(-1)!.inputs, [t.opId]);
  });

  it('derive shares rows, declares inputs and refuses undeclared reads', () => {
    const p = new Pipeline({ name: 't', mode: 'row' });
    const t = p.source(memTable('t', { a: [1, 2, 3], b: [10, 20, Number.NaN], c: ['u', 'v', 'u'] }));
    const d = derive(t, {
      name: 'ab',
      inputs: ['a', 'b'],
      compute: (c, out) => {
        const a = c.num('a');
        const b = c.num('b');
        for (let i = 0; i < out.length; i++) out[i] = a[i] * b[i];
      },
    });
    const e = derive(d, {
      name: 'abc',
      inputs: ['ab', 'c'],
      compute: (c, out) => out.set(c.indicator('c', 'u')),
    });
    assert.deepEqual([...d.num('ab')].slice(0, 2), [10, 40]);
    assert.ok(Number.isNaN(d.num('ab')[2]));
    assert.deepEqual(d.column('ab').sources, ['t.a', 't.b']);
    assert.deepEqual(e.column('abc').sources, ['t.a', 't.b', 't.c']);
    assert.equal(e.provenance, t.provenance);
    assert.deepEqual(p.ops.at(-1)!.columns, { abc: ['ab', 'c'] });
    assert.throws(
      () => derive(t, { name: 'bad', inputs: ['a'], compute: (c) => void c.num('b') }),
      (err: unknown) => err instanceof UsageError && err.code === 'lineage.undeclaredInput',
    );
  });

  it('aggregate computes count/sum/mean/min/max and unions each group, like a naive group-by', () => {
    const { key, value } = randomChildren(2, 2000, 150);
    const p = new Pipeline({ name: 't', mode: 'row' });
    const t = p.source(memTable('child', { key, value }));
    const g = aggregate(t, {
      name: 'per key',
      by: ['key'],
      columns: {
        n: { fn: 'count' },
        nv: { fn: 'count', column: 'value' },
        s: { fn: 'sum', column: 'value' },
        m: { fn: 'mean', column: 'value' },
        lo: { fn: 'min', column: 'value' },
        hi: { fn: 'max', column: 'value' },
      },
    });
    const groups = new Map<number, number[]>();
    key.forEach((k, i) => {
      if (Number.isNaN(k)) return;
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k)!.push(i);
    });
    assert.equal(g.rows, groups.size);
    const off = offsetOf(p, 'child');
    for (let row = 0; row < g.rows; row++) {
      const k = g.num('key')[row];
      const members = groups.get(k)!;
      const vals = members.map((i) => value[i]).filter((v) => !Number.isNaN(v));
      assert.equal(g.num('n')[row], members.length);
      assert.equal(g.num('nv')[row], vals.length);
      assert.ok(Math.abs(g.num('s')[row] - vals.reduce((a, b) => a + b, 0)) < 1e-9);
      if (vals.length === 0) {
        assert.ok(Number.isNaN(g.num('m')[row]));
      } else {
        assert.ok(Math.abs(g.num('m')[row] - vals.reduce((a, b) => a + b, 0) / vals.length) < 1e-9);
        assert.equal(g.num('lo')[row], Math.min(...vals));
        assert.equal(g.num('hi')[row], Math.max(...vals));
      }
      assert.deepEqual(
        prov(g, row),
        members.map((i) => off + i),
      );
    }
    assert.deepEqual(g.column('s').sources, ['child.value']);
    assert.deepEqual(g.column('n').sources, ['child.key']);
  });

  it('aggregate on two keys (numeric + categorical)', () => {
    const { key, kind } = randomChildren(3, 600, 20);
    const p = new Pipeline({ name: 't', mode: 'row' });
    const t = p.source(memTable('c', { key, kind }));
    const g = aggregate(t, {
      name: 'per key and kind',
      by: ['key', 'kind'],
      columns: { n: { fn: 'count' } },
    });
    const groups = new Map<string, number[]>();
    key.forEach((k, i) => {
      if (Number.isNaN(k) || kind[i] === null) return;
      const id = `${k}|${kind[i]}`;
      if (!groups.has(id)) groups.set(id, []);
      groups.get(id)!.push(i);
    });
    assert.equal(g.rows, groups.size);
    const kc = g.cat('kind');
    for (let row = 0; row < g.rows; row++) {
      const members = groups.get(`${g.num('key')[row]}|${kc.dictionary[kc.codes[row]]}`)!;
      assert.equal(g.num('n')[row], members.length);
      assert.deepEqual(prov(g, row), members);
    }
  });

  for (const how of ['inner', 'left'] as const) {
    it(`${how} join pairs rows like a nested loop and concatenates provenance`, () => {
      const r = lcg(how === 'inner' ? 4 : 5);
      const lk = Array.from({ length: 300 }, () => (r() < 0.05 ? Number.NaN : Math.floor(r() * 80)));
      const lk2 = Array.from({ length: 300 }, () => (r() < 0.5 ? 'x' : 'y'));
      const rk = Array.from({ length: 250 }, () => (r() < 0.05 ? Number.NaN : Math.floor(r() * 100)));
      const rk2 = Array.from({ length: 250 }, () => (r() < 0.5 ? 'x' : 'y'));
      const rv = Array.from({ length: 250 }, (_, i) => i * 10);
      const p = new Pipeline({ name: 't', mode: 'row' });
      const L = p.source(memTable('L', { k: lk, k2: lk2, lv: lk.map((_, i) => i) }));
      const R = p.source(memTable('R', { id: rk, k2: rk2, rv }));
      const j = join(L, R, { name: 'j', on: { left: ['k', 'k2'], right: ['id', 'k2'] }, how });
      const pairs: Array<[number, number]> = [];
      for (let i = 0; i < lk.length; i++) {
        let matched = false;
        for (let k = 0; k < rk.length; k++) {
          if (!Number.isNaN(lk[i]) && lk[i] === rk[k] && lk2[i] === rk2[k]) {
            pairs.push([i, k]);
            matched = true;
          }
        }
        if (!matched && how === 'left') pairs.push([i, -1]);
      }
      assert.equal(j.rows, pairs.length);
      assert.ok(pairs.some(([, k]) => k >= 0));
      const lo = offsetOf(p, 'L');
      const ro = offsetOf(p, 'R');
      pairs.forEach(([i, k], row) => {
        assert.equal(j.num('lv')[row], i);
        if (k < 0) assert.ok(Number.isNaN(j.num('rv')[row]));
        else assert.equal(j.num('rv')[row], rv[k]);
        assert.deepEqual(prov(j, row), sorted(k < 0 ? [lo + i] : [lo + i, ro + k]));
      });
      assert.ok(!j.has('id'));
      assert.deepEqual(p.ops.at(-1)!.inputs, [L.opId, R.opId]);
    });
  }

  it('filter → aggregate → left join → select: provenance equals the independent set computation', () => {
    const parents = Array.from({ length: 100 }, (_, i) => i);
    const { key, value } = randomChildren(6, 900, 130);
    const p = new Pipeline({ name: 't', mode: 'row' });
    const par = p.source(memTable('parent', { id: parents, even: parents.map((i) => i % 2) }));
    const ch = p.source(memTable('child', { key, value }));
    const kept = filter(ch, {
      name: 'value > 20',
      inputs: ['value'],
      keep: (c, keep) => {
        const v = c.num('value');
        for (let i = 0; i < v.length; i++) keep[i] = v[i] > 20 ? 1 : 0;
      },
    });
    const agg = aggregate(kept, {
      name: 'agg',
      by: ['key'],
      columns: { total: { fn: 'sum', column: 'value' } },
    });
    const j = select(join(par, agg, { name: 'j', on: { left: ['id'], right: ['key'] }, how: 'left' }), [
      'id',
      'total',
    ]);
    const po = offsetOf(p, 'parent');
    const co = offsetOf(p, 'child');
    for (let row = 0; row < j.rows; row++) {
      const id = parents[row];
      const expected = [po + row];
      key.forEach((k, i) => {
        if (k === id && value[i] > 20) expected.push(co + i);
      });
      assert.deepEqual(prov(j, row), sortedSet(expected));
    }
    assert.deepEqual(j.column('total').sources, ['child.value']);
    assert.deepEqual(
      p.ops.map((o) => o.kind),
      ['load', 'load', 'filter', 'aggregate', 'join', 'select'],
    );
  });

  it('concat stacks rows, merges dictionaries and keeps provenance', () => {
    const p = new Pipeline({ name: 't', mode: 'row' });
    const a = p.source(memTable('a', { x: [1, 2], c: ['p', 'q'] }));
    const b = p.source(memTable('b', { x: [3], c: ['q'] }));
    const c = concat([a, b]);
    assert.deepEqual([...c.num('x')], [1, 2, 3]);
    const cat = c.cat('c');
    assert.deepEqual(
      [...cat.codes].map((k) => cat.dictionary[k]),
      ['p', 'q', 'q'],
    );
    assert.deepEqual(
      [0, 1, 2].map((i) => prov(c, i)),
      [[offsetOf(p, 'a')], [offsetOf(p, 'a') + 1], [offsetOf(p, 'b')]],
    );
    assert.deepEqual(c.column('x').sources, ['a.x', 'b.x']);
  });

  it('a self-join repeats ids; the LineageRun normalises each sample to a set', () => {
    const p = new Pipeline({ name: 't', mode: 'row' });
    const a = p.source(memTable('a', { k: [1, 1, 2], v: [5, 6, 7] }));
    const j = join(a, a, { name: 'self', on: ['k'] });
    assert.equal(j.rows, 5);
    assert.deepEqual([...j.sourceRows(0)], [0, 0]);
    const norm = normaliseProvenance(j.provenance!);
    assert.deepEqual([...norm.rowIds.subarray(norm.offsets[0], norm.offsets[1])], [0]);
    assert.deepEqual([...norm.rowIds.subarray(norm.offsets[1], norm.offsets[2])], [0, 1]);
  });

  it('encoders fit on train rows only', () => {
    const p = new Pipeline({ name: 't', mode: 'op' });
    const r = lcg(7);
    const n = 400;
    const x = Array.from({ length: n }, () => r() * 10);
    const c = Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 'rare' : r() < 0.5 ? 'a' : 'b'));
    const t = p.source(memTable('t', { x, c }));
    const { frame, split, trainMask } = trainTestSplit(t, { testFraction: 0.25, seed: 3 });
    assert.equal([...split].filter((s) => s === 1).length, 100);
    // Make "only-test" a category seen in test rows only.
    const cc = c.map((v, i) => (split[i] === 1 && i % 7 === 0 ? 'only-test' : v));
    const t2 = p.source(memTable('t2', { x, c: cc }));
    const enc = OneHotEncoder.fit(t2, { columns: ['c'], trainMask });
    assert.ok(!enc.categories.c.includes('only-test'));
    assert.ok(enc.categories.c.includes('rare'));
    const oh = enc.transform(t2);
    assert.ok(!oh.has('c'));
    const idx = cc.indexOf('only-test');
    for (const name of enc.outputNames) assert.equal(oh.num(name)[idx], 0);
    assert.deepEqual(oh.column('c=a').sources, ['t2.c']);

    const scaler = StandardScaler.fit(frame, { columns: ['x'], trainMask });
    const trainX = x.filter((_, i) => split[i] === 0);
    const mean = trainX.reduce((a, b) => a + b, 0) / trainX.length;
    const sd = Math.sqrt(trainX.reduce((a, b) => a + (b - mean) ** 2, 0) / trainX.length);
    assert.ok(Math.abs(scaler.means.x - mean) < 1e-12);
    assert.ok(Math.abs(scaler.sds.x - sd) < 1e-12);
    const allMean = x.reduce((a, b) => a + b, 0) / n;
    assert.notEqual(scaler.means.x, allMean);
    const z = scaler.transform(frame).num('x');
    assert.ok(Math.abs(z[5] - (x[5] - mean) / sd) < 1e-12);
  });

  it('the split is seeded: same seed same split, other seed other split', () => {
    const p = new Pipeline({ name: 't', mode: 'none' });
    const t = p.source(memTable('t', { x: Array.from({ length: 1000 }, (_, i) => i) }));
    const a = trainTestSplit(t, { seed: 1 }).split;
    const b = trainTestSplit(t, { seed: 1 }).split;
    const c = trainTestSplit(t, { seed: 2 }).split;
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    assert.equal(
      a.reduce((s, v) => s + v, 0),
      200,
    );
    assert.equal(p.ops.length, 0);
  });

  it('op mode records the same op DAG without provenance; none mode records nothing', () => {
    const build = (mode: 'op' | 'row' | 'none') => {
      const p = new Pipeline({ name: 't', mode, runId: 'run' });
      const a = p.source(memTable('a', { k: [1, 2, 3], v: [1, 2, 3] }));
      const b = p.source(memTable('b', { k: [1, 1, 3], w: [4, 5, 6] }));
      const g = aggregate(b, { name: 'g', by: ['k'], columns: { s: { fn: 'sum', column: 'w' } } });
      const j = join(a, g, { name: 'j', on: ['k'], how: 'left' });
      return { p, j };
    };
    const op = build('op');
    const row = build('row');
    const none = build('none');
    assert.deepEqual(op.p.ops, row.p.ops);
    assert.equal(op.j.provenance, undefined);
    assert.throws(
      () => op.j.sourceRows(0),
      (err: unknown) => err instanceof UsageError && err.code === 'lineage.noProvenance',
    );
    assert.deepEqual(op.j.num('s'), row.j.num('s'));
    assert.equal(none.p.ops.length, 0);
    assert.equal(none.p.files.length, 0);
    assert.deepEqual(none.j.num('s'), row.j.num('s'));
  });

  it('frames of different pipelines cannot be joined', () => {
    const a = new Pipeline({ name: 'a' }).source(memTable('a', { k: [1] }));
    const b = new Pipeline({ name: 'b' }).source(memTable('b', { k: [1] }));
    assert.throws(
      () => join(a, b, { name: 'x', on: ['k'] }),
      (err: unknown) => err instanceof UsageError && err.code === 'lineage.foreignFrame',
    );
  });
});
