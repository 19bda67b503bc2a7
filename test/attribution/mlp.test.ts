import assert from 'node:assert/strict';
import { csrToDenseF32 } from '../../src/attribution/csr-matrix.js';
import { mlpHidden, mlpLastLayerScores, mlpMargins, trainMlp } from '../../src/attribution/mlp.js';
import { hasCode } from '../../src/errors.js';
import { syntheticLogistic } from './synthetic.js';

describe('MLP', () => {
  it('trains deterministically, beats chance, and ll scores have the right shape', async () => {
    // Noise-free labels 1[x₀ + x₁ > 0]: an MLP should get nearly all right.
    const relabel = (d: ReturnType<typeof syntheticLogistic>) => {
      for (let i = 0; i < d.y.length; i++) d.y[i] = d.dense[4 * i] + d.dense[4 * i + 1] > 0 ? 1 : 0;
      return d;
    };
    const train = relabel(syntheticLogistic(300, 4, 41));
    const test = relabel(syntheticLogistic(100, 4, 42));
    const x = csrToDenseF32(train.x, false);
    const tx = csrToDenseF32(test.x, false);
    const cfg = { hidden: 8, epochs: 30, batchSize: 64, seed: 3 };
    const a = await trainMlp(x, train.y, cfg);
    const b = await trainMlp(x, train.y, cfg);
    assert.deepEqual(a.w1, b.w1);
    const z = await mlpMargins(a, tx, test.y);
    const acc = z.filter((v) => v > 0).length / z.length;
    assert.ok(acc > 0.85, `test accuracy ${acc}`);
    const hid = await mlpHidden(a, tx);
    assert.ok(hid.every((v) => v >= 0));
    const s = await mlpLastLayerScores(
      [a],
      { x, y: train.y },
      { x: tx.subarray(0, 5 * 4), y: test.y.subarray(0, 5) },
    );
    assert.equal(s.rows, 5);
    assert.equal(s.cols, 300);
    assert.ok(s.data.every(Number.isFinite));
    await assert.rejects(trainMlp(new Float32Array(7), train.y.subarray(0, 2)), (e) =>
      hasCode(e, 'attribution.badShape'),
    );
  });
});
