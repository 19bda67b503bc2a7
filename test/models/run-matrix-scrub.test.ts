import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasCode } from '../../src/errors.js';
import { readSections, writeSections } from '../../src/models/binary-sections.js';
import { modelRowsOf } from '../../src/models/replaced-rows.js';
import type { RunMatrix } from '../../src/models/run-matrix.js';
import {
  loadRunMatrix,
  runMatrixFileState,
  saveRunMatrix,
  scrubRunMatrix,
} from '../../src/models/run-matrix-store.js';

/** A small run matrix whose every stored value is distinct (row r, slot k → 1000·r + k + 0.125). */
function distinctMatrix(rows: number, cols: number): RunMatrix {
  const rowPtr = new Uint32Array(rows + 1);
  const colIdx: number[] = [];
  const values: number[] = [];
  for (let r = 0; r < rows; r++) {
    const width = 1 + (r % 4);
    for (let k = 0; k < width; k++) {
      colIdx.push((r + 3 * k) % cols);
      values.push(1000 * r + k + 0.125);
    }
    rowPtr[r + 1] = colIdx.length;
  }
  return {
    runId: 'scrub-unit',
    features: { rows, cols, rowPtr, colIdx: Uint32Array.from(colIdx), values: Float64Array.from(values) },
    featureNames: Array.from({ length: cols }, (_, j) => `f${j}`),
    labels: Float64Array.from({ length: rows }, (_, r) => r % 2),
    split: Uint8Array.from({ length: rows }, (_, r) => (r % 5 === 0 ? 1 : 0)),
    sampleIds: Array.from({ length: rows }, (_, r) => `scrub-unit:s:${r}`),
    sampleKeys: Array.from({ length: rows }, (_, r) => `key-${r}`),
  };
}

function valueBytes(v: number): Buffer {
  return Buffer.from(new Float64Array([v]).buffer);
}

describe('run matrix scrub (copy-on-write, without copying the kept rows)', () => {
  let home: string;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-scrub-unit-'));
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('writes a section given in pieces as their concatenation, with the file content hash', async () => {
    const file = path.join(home, 'pieces.bin');
    const whole = Float64Array.from([1, 2, 3, 4, 5]);
    const written = await writeSections(file, {
      a: [whole.subarray(0, 2), whole.subarray(2, 2), whole.subarray(3)],
      b: Uint8Array.from([7, 8, 9]),
    });
    const bytes = fs.readFileSync(file);
    assert.equal(written.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.equal(bytes.length % 8, 0);
    const back = await readSections(file, written.entries, written.sha256);
    assert.deepEqual([...(back.a as Float64Array)], [1, 2, 4, 5]);
    assert.deepEqual([...(back.b as Uint8Array)], [7, 8, 9]);
    bytes[0] ^= 1;
    fs.writeFileSync(file, bytes);
    await assert.rejects(readSections(file, written.entries, written.sha256), (e) =>
      hasCode(e, 'models.corruptArtifact'),
    );
  });

  for (const reuse of [false, true])
    it(`removes exactly the scrubbed rows' features and keeps every other row (${reuse ? 'reusing the loaded matrix' : 'reading it again'})`, async () => {
      const original = distinctMatrix(300, 11);
      await saveRunMatrix(home, original);
      const loaded = await loadRunMatrix(home, original.runId);
      const scrub = [0, 17, 18, 19, 150, 299];
      const dropped = [17, 299];
      const result = await scrubRunMatrix(
        home,
        original.runId,
        { requestId: 'req-1', featureRows: scrub, droppedRows: dropped },
        reuse ? loaded : undefined,
      );
      assert.equal(result.rows, scrub.length);
      assert.equal(result.keys, dropped.length);
      const after = await loadRunMatrix(home, original.runId);
      assert.equal(after.sha256, result.sha256After);
      assert.notEqual(after.sha256, loaded.sha256);
      const x = after.features;
      for (let r = 0; r < original.features.rows; r++) {
        const width = x.rowPtr[r + 1] - x.rowPtr[r];
        if (scrub.includes(r)) assert.equal(width, 0, `row ${r} still has features`);
        else assert.equal(width, 1 + (r % 4), `row ${r} lost features`);
      }
      const kept = Uint32Array.from({ length: 300 }, (_, r) => r).filter((r) => !scrub.includes(r));
      const before = modelRowsOf(loaded, kept);
      const now = modelRowsOf(after, kept);
      assert.deepEqual([...now.x.values], [...before.x.values]);
      assert.deepEqual([...now.x.colIdx], [...before.x.colIdx]);
      assert.ok(Number.isNaN(after.labels[17]) && Number.isNaN(after.labels[299]));
      assert.equal(after.labels[18], original.labels[18]);
      assert.equal(after.sampleKeys[17], '');
      assert.equal(after.sampleKeys[18], 'key-18');
      // The scrubbed values are in no file of the run's folder; a kept one is.
      const state = await runMatrixFileState(home, original.runId);
      assert.deepEqual(state.strayFiles, []);
      const bin = fs.readFileSync(state.file);
      for (const r of scrub)
        for (let k = 0; k < 1 + (r % 4); k++)
          assert.equal(
            bin.indexOf(valueBytes(1000 * r + k + 0.125)),
            -1,
            `value of row ${r} left in the file`,
          );
      assert.notEqual(bin.indexOf(valueBytes(1000 * 20 + 0.125)), -1);
      assert.throws(
        () => modelRowsOf(after, [18]),
        (e) => hasCode(e, 'models.scrubbedRowRead'),
      );
    });

  it('reads the matrix again when the one given was scrubbed since (never writes over a newer scrub)', async () => {
    const original = distinctMatrix(50, 5);
    await saveRunMatrix(home, original);
    const stale = await loadRunMatrix(home, original.runId);
    await scrubRunMatrix(home, original.runId, { requestId: 'first', featureRows: [3], droppedRows: [3] });
    await scrubRunMatrix(
      home,
      original.runId,
      { requestId: 'second', featureRows: [4], droppedRows: [] },
      stale,
    );
    const after = await loadRunMatrix(home, original.runId);
    assert.deepEqual(
      [...(after.scrubbedRows ?? [])].sort((a, b) => a - b),
      [3, 4],
    );
    assert.equal(
      after.features.rowPtr[4] - after.features.rowPtr[3],
      0,
      'row 3 came back from the stale copy',
    );
    assert.equal(after.features.rowPtr[5] - after.features.rowPtr[4], 0);
    // A reused matrix carries the manifest's current keys.
    const reused = await loadRunMatrix(home, original.runId, { reuse: after });
    assert.equal(reused.sampleKeys[3], '');
    assert.equal(reused.features, after.features);
  });
});
