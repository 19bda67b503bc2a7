import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromFloat16Bits, toFloat16Bits } from '../../src/attribution/float16.js';
import { GradientStore, type StoreDtype } from '../../src/attribution/gradient-store.js';
import { JlProjection } from '../../src/attribution/jl-projection.js';
import { hasCode } from '../../src/errors.js';
import { SeededRandom } from '../../src/util/seeded-random.js';

/** Runs `fn` with a fresh temporary folder, removed afterwards. */
async function withTempDir(fn: (dir: string) => Promise<void> | void): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-store-'));
  try {
    await fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function randomRows(n: number, p: number, seed: number): Float64Array {
  const rng = new SeededRandom(seed);
  return Float64Array.from({ length: n * p }, () => rng.normal());
}

describe('JL projection', () => {
  it('preserves inner products within the JL bound', () => {
    const p = 2000;
    const k = 1024;
    const N = 20;
    const x = randomRows(N, p, 1);
    const proj = new JlProjection(p, k, 5);
    const px = proj.apply(x, N);
    // ε = √(8·ln N / k) bounds every pair w.h.p. (Achlioptas 2003); a wrong scale or sign
    // pattern would break it by far.
    const eps = Math.sqrt((8 * Math.log(N)) / k);
    let worst = 0;
    for (let a = 0; a < N; a++) {
      for (let b = a; b < N; b++) {
        let ip = 0;
        let pip = 0;
        let na = 0;
        let nb = 0;
        for (let j = 0; j < p; j++) {
          ip += x[a * p + j] * x[b * p + j];
          na += x[a * p + j] ** 2;
          nb += x[b * p + j] ** 2;
        }
        for (let j = 0; j < k; j++) pip += px[a * k + j] * px[b * k + j];
        worst = Math.max(worst, Math.abs(pip - ip) / Math.sqrt(na * nb));
      }
    }
    assert.ok(worst < eps, `worst relative inner-product error ${worst} ≥ ε = ${eps}`);
    assert.ok(worst > 0, 'a projection that changes nothing is suspicious');
  });

  it('is reproducible from its seed and never projects up', () => {
    const x = randomRows(3, 300, 2);
    assert.deepEqual(new JlProjection(300, 64, 9).apply(x, 3), new JlProjection(300, 64, 9).apply(x, 3));
    assert.notDeepEqual(new JlProjection(300, 64, 9).apply(x, 3), new JlProjection(300, 64, 10).apply(x, 3));
    assert.throws(
      () => new JlProjection(100, 100, 1),
      (e) => hasCode(e, 'attribution.projectUp'),
    );
    const s = GradientStore.create({ inputDim: 50, k: 4096 });
    assert.equal(s.projection, null);
    assert.equal(s.dim, 50);
  });
});

describe('float16', () => {
  it('round-trips representable values and rounds to nearest', () => {
    for (const v of [0, 1, -2, 0.5, 65504, 2 ** -24, -(2 ** -14), 1.5, 0.0999755859375, 3 * 2 ** -20]) {
      assert.equal(fromFloat16Bits(toFloat16Bits(v)), v);
    }
    assert.equal(fromFloat16Bits(toFloat16Bits(1 + 2 ** -11)), 1); // tie → even
    assert.equal(fromFloat16Bits(toFloat16Bits(1 + 3 * 2 ** -12)), 1 + 2 ** -10);
    assert.equal(fromFloat16Bits(toFloat16Bits(1e6)), Number.POSITIVE_INFINITY);
    const rng = new SeededRandom(3);
    for (let i = 0; i < 1000; i++) {
      const v = rng.normal();
      assert.ok(Math.abs(fromFloat16Bits(toFloat16Bits(v)) - v) <= Math.abs(v) * 2 ** -11 + 2 ** -25);
    }
  });
});

describe('GradientStore', () => {
  const n = 257;
  const p = 300;
  const rows = randomRows(n, p, 4);
  const tolerance: Record<StoreDtype, number> = { float32: 1e-6, float16: 2e-3, int8: 2e-2 };

  for (const dtype of ['float32', 'float16', 'int8'] as const) {
    it(`${dtype}: memory and file stores agree, save/open round-trips exactly`, () =>
      withTempDir((dir) => {
        const mem = GradientStore.create({ inputDim: p, k: 128, seed: 77, dtype });
        const file = GradientStore.create({
          inputDim: p,
          k: 128,
          seed: 77,
          dtype,
          path: path.join(dir, 'f.tpgs'),
        });
        for (let s = 0; s < n; s += 100) {
          const c = Math.min(100, n - s);
          mem.append(rows.subarray(s * p, (s + c) * p), c);
          file.append(rows.subarray(s * p, (s + c) * p), c);
        }
        assert.equal(mem.rows, n);
        assert.equal(mem.bytesPerSample, { float32: 512, float16: 256, int8: 132 }[dtype]);
        assert.deepEqual(mem.rawBytes(), file.rawBytes());
        // Dequantised values stay close to the exact projection.
        const exact = new JlProjection(p, 128, 77).apply(rows, n);
        const got = mem.read(0, n);
        let maxAbs = 0;
        let maxErr = 0;
        for (let i = 0; i < exact.length; i++) {
          maxAbs = Math.max(maxAbs, Math.abs(exact[i]));
          maxErr = Math.max(maxErr, Math.abs(exact[i] - got[i]));
        }
        assert.ok(maxErr <= tolerance[dtype] * maxAbs, `${dtype}: error ${maxErr} of ${maxAbs}`);
        mem.save(path.join(dir, 'm.tpgs'));
        file.save();
        file.close();
        for (const f of ['m.tpgs', 'f.tpgs']) {
          const back = GradientStore.open(path.join(dir, f));
          assert.equal(back.seed, 77);
          assert.equal(back.dtype, dtype);
          assert.equal(back.rows, n);
          assert.deepEqual(back.rawBytes(), mem.rawBytes());
          assert.deepEqual(back.read(0, n), got);
          // The projection comes back from the seed: new rows project identically.
          assert.deepEqual(back.project(rows.subarray(0, p), 1), mem.project(rows.subarray(0, p), 1));
          back.close();
        }
      }));
  }

  it('works when the store is larger than the memory cap (chunked file reads)', () =>
    withTempDir((dir) => {
      const cap = 16 * 1024;
      const file = path.join(dir, 'big.tpgs');
      const store = GradientStore.create({
        inputDim: p,
        k: 64,
        seed: 1,
        dtype: 'float16',
        path: file,
        memoryCapBytes: cap,
      });
      store.append(rows, n);
      assert.ok(store.byteLength > cap, 'the test needs a store above the cap');
      store.close();
      const opened = GradientStore.open(file, { memoryCapBytes: cap });
      assert.equal(opened.backing, 'file');
      const mem = GradientStore.create({ inputDim: p, k: 64, seed: 1, dtype: 'float16' });
      mem.append(rows, n);
      let seen = 0;
      let chunks = 0;
      for (const c of opened.chunks()) {
        assert.equal(c.start, seen);
        assert.ok(c.count * (opened.bytesPerSample + 4 * opened.dim) <= cap, 'chunk above the cap');
        assert.deepEqual(c.data, mem.read(c.start, c.count));
        seen += c.count;
        chunks++;
      }
      assert.equal(seen, n);
      assert.ok(chunks > 1);
      opened.close();
      // A memory store refuses to grow past its cap.
      const capped = GradientStore.create({ inputDim: p, k: 64, memoryCapBytes: cap });
      assert.throws(
        () => capped.append(rows, n),
        (e) => hasCode(e, 'attribution.storeOverCap'),
      );
    }));

  it('rejects bad input', () =>
    withTempDir((dir) => {
      assert.throws(
        () => GradientStore.create({ inputDim: 0 }),
        (e) => hasCode(e, 'attribution.badShape'),
      );
      assert.throws(
        () => GradientStore.create({ inputDim: 4, dtype: 'float8' as StoreDtype }),
        (e) => hasCode(e, 'attribution.badDtype'),
      );
      const s = GradientStore.create({ inputDim: 4 });
      assert.throws(
        () => s.append([1, 2, 3], 1),
        (e) => hasCode(e, 'attribution.badShape'),
      );
      assert.throws(
        () => s.read(0, 1),
        (e) => hasCode(e, 'attribution.badRange'),
      );
      const junk = path.join(dir, 'junk');
      fs.writeFileSync(junk, 'not a store');
      assert.throws(
        () => GradientStore.open(junk),
        (e) => hasCode(e, 'attribution.badStore'),
      );
    }));
});
