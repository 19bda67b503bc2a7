import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { certificationFor } from '../../src/jobs/train/certification-for.js';
import type { TrainedRunModel } from '../../src/jobs/train/run-train-job.js';
import { trainRunModel } from '../../src/jobs/train/run-train-job.js';
import type { UnlearningOutcome } from '../../src/jobs/unlearning/unlearning-outcome.js';
import { loadModelArtifact } from '../../src/models/model-artifact-store.js';
import { modelRowsOf } from '../../src/models/replaced-rows.js';
import { loadRunMatrix } from '../../src/models/run-matrix-store.js';
import { certifiedNoiseScale } from '../../src/unlearning/certified-removal.js';
import { norm2, remainingGradient } from '../../src/unlearning/remaining-gradient.js';
import { useTrainedRun } from '../models/ingested-run.js';
import { expectCliError, runTraceprop } from '../support/cli.js';
import { testServices } from '../support/services.js';

type Certified = NonNullable<UnlearningOutcome['certified']>;

/**
 * `--certify` end to end: a certified model line keeps b secret in its artifact, shows ε, δ, σ
 * and the budget on the Model, charges each removal's residual to the line's budget, and
 * retrains from scratch with a fresh b when a removal would spend past ε′.
 */
describe('certified model lines (train --certify, unlearn on the line)', () => {
  const { graph, suite, query } = useTrainedRun(400, 71);
  let certified: TrainedRunModel;

  before(async function () {
    this.timeout(120_000);
    const out = await runTraceprop([
      'train',
      suite.run.runId,
      '--lambda',
      '1e-2',
      '--certify',
      '1,1e-5',
      '--json',
    ]);
    certified = out.ok().json<TrainedRunModel>();
  });

  it('trains with the perturbation kept secret in the artifact and ε, δ, σ, budget on the Model', async () => {
    const c = certified.certification;
    assert.ok(c, 'train --certify reports its certification');
    const sigma = certifiedNoiseScale({ epsilon: 1, delta: 1e-5, budget: 1 });
    assert.equal(c.certifiedEpsilon, 1);
    assert.equal(c.certifiedDelta, 1e-5);
    assert.ok(Math.abs(c.certifiedSigma - sigma) < 1e-12);
    assert.deepEqual([c.removalBudget, c.budgetSpent, c.budgetLeft], [1, 0, 1]);
    const [model] = await query('MATCH (m:Model {id: $id}) RETURN properties(m) AS p', {
      id: certified.modelId,
    });
    const props = model.p as Record<string, unknown>;
    assert.equal(props.certifiedEpsilon, 1);
    assert.equal(props.removalBudget, 1);
    assert.equal(props.budgetSpent, 0);
    const { home } = testServices();
    const artifact = await loadModelArtifact(home, certified.modelId);
    const b = artifact.certification?.perturbation;
    assert.ok(b && b.length === artifact.theta.length);
    // b is a draw of N(0, σ²): its sample sd is near σ (d ≈ 20 entries: a loose band).
    const sd = Math.sqrt(b.reduce((s, v) => s + v * v, 0) / b.length);
    assert.ok(sd > 0.3 * sigma && sd < 2 * sigma, `sd ${sd} vs σ ${sigma}`);
    // Neither the graph nor the manifest holds b; params.bin (which does) is the owner's alone.
    const manifest = JSON.parse(fs.readFileSync(path.join(artifact.dir, 'model.json'), 'utf8'));
    assert.deepEqual(Object.keys(manifest.certification).sort(), [
      'budget',
      'delta',
      'epsilon',
      'sigma',
      'spent',
    ]);
    assert.ok(
      !Object.keys(props).some((k) => /perturbation/i.test(k)),
      'no perturbation property on the Model',
    );
    const text = JSON.stringify(props) + JSON.stringify(manifest);
    assert.ok(!text.includes(String(b[0]).slice(0, 10)), 'b does not leak into the graph or the manifest');
    assert.equal(fs.statSync(path.join(artifact.dir, 'params.bin')).mode & 0o777, 0o600);
    // θ is the optimum of the perturbed objective: ∇(mean loss + λ/2‖w‖²) + b/n = 0.
    const matrix = await loadRunMatrix(home, suite.run.runId);
    const train = modelRowsOf(matrix, artifact.trainRows);
    const g = new Float64Array(b.length);
    const none = new Uint8Array(train.x.rows);
    remainingGradient(train.x, train.y, none, undefined, artifact.theta, 1e-2, g, b);
    assert.ok(norm2(g) < 1e-8, `perturbed gradient ${norm2(g)}`);
  });

  it('a retried training reuses the same b, so every attempt fits the same model', async () => {
    const { home } = testServices();
    const again = await trainRunModel({
      client: graph(),
      home,
      runId: suite.run.runId,
      lambda: 1e-2,
      modelId: `${certified.modelId}-retry`,
      certify: { epsilon: 1, delta: 1e-5 },
    });
    const retried = await trainRunModel({
      client: graph(),
      home,
      runId: suite.run.runId,
      lambda: 1e-2,
      modelId: `${certified.modelId}-retry2`,
      certify: { epsilon: 1, delta: 1e-5 },
    });
    // Two model ids: two independent draws (different parameters).
    assert.notEqual(again.paramsSha256, retried.paramsSha256);
    const first = await loadModelArtifact(home, again.modelId);
    // Same model id again (a retry after a crash): same b, same parameters.
    const reused = await certificationFor(
      home,
      again.modelId,
      { epsilon: 1, delta: 1e-5 },
      first.theta.length,
    );
    assert.deepEqual(reused.perturbation, first.certification?.perturbation);
    const other = await certificationFor(
      home,
      again.modelId,
      { epsilon: 2, delta: 1e-5 },
      first.theta.length,
    );
    assert.notDeepEqual(other.perturbation, first.certification?.perturbation);
  });

  it('each removal charges its residual to the line; the Model and the request record spent and left', async () => {
    const unlearn = async (rows: string) =>
      (
        await runTraceprop([
          'unlearn',
          '--model',
          certified.modelId,
          '--file',
          'application.csv',
          '--rows',
          rows,
          '--verify',
          '--local',
          '--json',
        ])
      )
        .ok()
        .json<UnlearningOutcome>();
    const first = await unlearn('3,17');
    const c1 = first.certified as Certified;
    assert.ok(c1, 'a removal on a certified line reports its charge');
    assert.equal(c1.retrainedFromScratch, false);
    assert.ok(c1.charged > 0 && c1.charged < 1, `charged ${c1.charged}`);
    assert.ok(Math.abs(c1.spent - c1.charged) < 1e-15);
    assert.ok(Math.abs(c1.left - (1 - c1.spent)) < 1e-12);
    assert.ok((first.metrics?.paramGapClosed ?? 0) >= 0.95, `gap ${first.metrics?.paramGapClosed}`);
    const second = await unlearn('40');
    const c2 = second.certified as Certified;
    assert.ok(Math.abs(c2.spent - (c1.spent + c2.charged)) < 1e-12, 'the budget adds up across requests');
    const [row] = await query(
      `MATCH (u:UnlearningRequest {id: $id})-[:PRODUCED]->(m:Model)
       RETURN m.budgetSpent AS spent, m.budgetLeft AS left, m.certifiedEpsilon AS eps, u.budgetCharged AS charged, u.budgetSpent AS requestSpent`,
      { id: second.requestId },
    );
    assert.ok(Math.abs((row.spent as number) - c2.spent) < 1e-15);
    assert.ok(Math.abs((row.left as number) - c2.left) < 1e-15);
    assert.equal(row.eps, 1);
    assert.ok(Math.abs((row.charged as number) - c2.charged) < 1e-15);
    assert.ok(Math.abs((row.requestSpent as number) - c2.spent) < 1e-15);
  });

  it('past the budget the line is retrained from scratch with a fresh b and the budget starts again', async () => {
    const tight = (
      await runTraceprop([
        'train',
        suite.run.runId,
        '--lambda',
        '1e-2',
        '--certify',
        '1,1e-5',
        '--removal-budget',
        '1e-9',
        '--json',
      ])
    )
      .ok()
      .json<TrainedRunModel>();
    const { home } = testServices();
    // Read before the erasure: it deletes the superseded version's parameters.
    const before = await loadModelArtifact(home, tight.modelId);
    const out = (
      await runTraceprop([
        'unlearn',
        '--model',
        tight.modelId,
        '--file',
        'application.csv',
        '--rows',
        '60-62',
        // A Newton residual budget that never falls back: the certified budget decides.
        '--budget',
        '1',
        '--verify',
        '--local',
        '--json',
      ])
    )
      .ok()
      .json<UnlearningOutcome>();
    const c = out.certified as Certified;
    assert.equal(c.retrainedFromScratch, true);
    assert.deepEqual([c.spent, c.left, c.budget], [0, 1e-9, 1e-9]);
    // The retrain is exact for its own (fresh) perturbation: the gap to the gold retrain is closed.
    assert.ok((out.metrics?.paramGapClosed ?? 0) > 0.999999, `gap ${out.metrics?.paramGapClosed}`);
    const after = await loadModelArtifact(home, out.modelId);
    assert.ok(after.certification && before.certification);
    assert.notDeepEqual(after.certification.perturbation, before.certification.perturbation);
    assert.equal(after.certification.spent, 0);
  });

  it('refuses bad --certify values and --certify/--removal-budget without what they need (exit 2)', async () => {
    expectCliError(
      await runTraceprop(['train', suite.run.runId, '--certify', '1,2']),
      'unlearning.badCertification',
      /EPS,DELTA/,
      2,
    );
    expectCliError(
      await runTraceprop(['train', suite.run.runId, '--removal-budget', '2']),
      'cli.optionNeedsOption',
      /--removal-budget only applies with --certify/,
      2,
    );
    expectCliError(
      await runTraceprop(['ingest', 'pipelines/credit-risk.yaml', '--certify', '1,1e-5']),
      'cli.optionNeedsOption',
      /--certify only applies with --train/,
      2,
    );
  });
});
