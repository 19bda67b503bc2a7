import assert from 'node:assert/strict';
import { type Column, numberColumn } from '../../src/lineage/column.js';
import { toFeatureMatrix } from '../../src/lineage/feature-matrix.js';
import { Frame } from '../../src/lineage/frame.js';
import { Pipeline } from '../../src/lineage/pipeline.js';
import { featureMatrixWithStats, featureWarnings } from '../../src/pipeline-run/feature-warnings.js';

const { NaN: nan, POSITIVE_INFINITY: inf, NEGATIVE_INFINITY: ninf } = Number;

function frameOf(columns: Record<string, number[]>): Frame {
  const map = new Map<string, Column>();
  for (const [name, values] of Object.entries(columns))
    map.set(name, numberColumn(Float64Array.from(values), []));
  const rows = Object.values(columns)[0].length;
  return new Frame({ pipeline: new Pipeline({ name: 't', mode: 'none' }), opId: '', rows, columns: map });
}

describe('pipeline runs: the feature warnings of a run', () => {
  it('names each column a model cannot learn from as it is, and nothing else', () => {
    const frame = frameOf({
      fine: [1, 2, 3, 4],
      allMissing: [nan, nan, nan, nan],
      constant: [7, 7, 7, 7],
      constantWhereSet: [nan, 5, 5, nan],
      someMissing: [1, nan, 3, 4],
      infinite: [1, inf, ninf, 2],
      allInfinite: [ninf, ninf, ninf, ninf],
    });
    assert.deepEqual(featureWarnings(frame, frame.names), [
      'feature "allMissing" is missing for every sample',
      'feature "constant" has the same value (7) for every sample',
      'feature "constantWhereSet" has the same value (5) for every sample that has one',
      'feature "constantWhereSet" is missing for 2 of 4 samples (NaN in the matrix; impute or standardize it)',
      'feature "someMissing" is missing for 1 of 4 samples (NaN in the matrix; impute or standardize it)',
      'feature "infinite" is infinite for 2 of 4 samples',
      'feature "allInfinite" has the same value (-Infinity) for every sample',
      'feature "allInfinite" is infinite for 4 of 4 samples',
    ]);
  });

  it('reads only the named columns, and an empty frame has no warnings', () => {
    const frame = frameOf({ constant: [1, 1], fine: [1, 2] });
    assert.deepEqual(featureWarnings(frame, ['fine']), []);
    assert.deepEqual(featureWarnings(frameOf({ x: [] }), ['x']), []);
  });

  it('the matrix read with its stats is the plain matrix, and its stats give the same warnings', () => {
    const frame = frameOf({
      a: [1, nan, 3, -0],
      b: [inf, 2, 2, 2],
      c: [nan, nan, nan, nan],
      d: [4, 4, 4, 4],
    });
    const names = ['d', 'a', 'c', 'b'];
    const { matrix, stats } = featureMatrixWithStats(frame, names);
    const plain = toFeatureMatrix(frame, names);
    assert.deepEqual(matrix, plain);
    assert.ok(matrix.data.every((v, i) => Object.is(v, plain.data[i])));
    assert.deepEqual(stats[1], { min: -0, max: 3, missing: 1 });
    assert.deepEqual(featureWarnings(frame, names, stats), featureWarnings(frame, names));
    assert.equal(featureWarnings(frame, names).length, 4);
  });
});
