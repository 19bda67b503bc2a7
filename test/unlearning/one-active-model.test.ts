import assert from 'node:assert/strict';
import { rowsOfActiveModels } from '../../src/jobs/unlearning/one-active-model.js';

const row = (id: string, fileId: string, models: string[]) => ({ id, file: `${fileId}.csv`, fileId, models });

/** Which model lines a key or subject request without `--model` updates. */
describe('rowsOfActiveModels (keys and subjects reach every line)', () => {
  it('rows every line read: all lines, the rows no line read left out', () => {
    const got = rowsOfActiveModels(
      [row('a:1', 'a', ['m2', 'm1']), row('b:4', 'b', ['m1', 'm2']), row('c:0', 'c', [])],
      'these keys are',
    );
    assert.deepEqual(got.modelIds, ['m1', 'm2']);
    assert.deepEqual(
      got.rows.map((r) => r.id),
      ['a:1', 'b:4'],
    );
  });

  it('one line: that line and its rows', () => {
    const got = rowsOfActiveModels([row('a:1', 'a', ['m1']), row('c:0', 'c', [])], 'these keys are');
    assert.deepEqual(got.modelIds, ['m1']);
    assert.deepEqual(
      got.rows.map((r) => r.id),
      ['a:1'],
    );
  });

  it('rows split over models that read different files (two data sets sharing a key): refused', () => {
    assert.throws(
      () => rowsOfActiveModels([row('a:1', 'a', ['m1']), row('b:1', 'b', ['m2'])], 'these keys are'),
      (err: Error & { code?: string }) =>
        err.code === 'unlearning.ambiguousModel' &&
        /m1: a\.csv \(a\)/.test(err.message) &&
        /m2/.test(err.message),
    );
  });
});
