import type { ArtifactHome } from '../artifacts/artifact-home.js';
import { logisticLinear, sigmoid } from '../attribution/logistic-regression.js';
import { TracepropError } from '../errors.js';
import { loadModelArtifact } from '../models/model-artifact-store.js';
import { modelRowsOf } from '../models/replaced-rows.js';
import { loadRunMatrix } from '../models/run-matrix-store.js';
import { examineGroups } from './bias-examination.js';
import type { ReportBias } from './report-types.js';
import { jsonObject, str } from './report-values.js';

/** The score at or above which the model predicts 1 (as `scoreRows` labels predictions). */
const threshold = 0.5;

/** The protected attributes a declared pipeline's canonical text lists (`sample.protected`). */
function protectedAttributesOf(pipelineText: unknown): { name: string; column: string }[] {
  const sample = jsonObject(jsonObject(pipelineText)?.sample);
  const list = Array.isArray(sample?.protected) ? (sample.protected as unknown[]) : [];
  return list.flatMap((p) => {
    const o = jsonObject(p);
    const name = str(o?.name);
    const column = str(o?.column);
    return name !== null && column !== null ? [{ name, column }] : [];
  });
}

/**
 * The bias examination of a model (EU AI Act Art. 10(2)(f)): for each protected attribute its
 * run's pipeline declares, the model scores every train and test sample of the run matrix it was
 * trained on (a re-derived sample on its re-derived row) and {@link examineGroups} compares the
 * groups. Samples an erasure dropped or scrubbed are left out and counted. `not declared` when the
 * pipeline declares no attribute (or the run has no pipeline file); `not available`, with the
 * reason, when the groups, the matrix or the model's parameters are not there (e.g. shredded).
 */
export async function readBias(
  pipelineText: unknown,
  modelId: string,
  home: ArtifactHome | undefined,
): Promise<ReportBias> {
  if (pipelineText === null || pipelineText === undefined)
    return {
      status: 'not declared',
      reason:
        'the run has no declared pipeline file, so no protected attribute is declared (declare one in a pipeline file under sample.protected)',
    };
  const attributes = protectedAttributesOf(pipelineText);
  if (attributes.length === 0)
    return {
      status: 'not declared',
      reason:
        "the run's pipeline declares no protected attribute (sample.protected), so no groups were recorded to compare",
    };
  const unavailable = (reason: string): ReportBias => ({ status: 'not available', attributes, reason });
  if (!home)
    return unavailable('the artifact store (model parameters and run matrix) was not given to the report');
  let artifact: Awaited<ReturnType<typeof loadModelArtifact>>;
  let matrix: Awaited<ReturnType<typeof loadRunMatrix>>;
  try {
    artifact = await loadModelArtifact(home, modelId);
    matrix = await loadRunMatrix(home, artifact.runId);
  } catch (err) {
    if (err instanceof TracepropError) return unavailable(`${err.code}: ${err.message}`);
    throw err;
  }
  const recorded = matrix.protectedGroups ?? [];
  const replaced = new Set(artifact.replaced?.samples ?? []);
  const erasedExcluded = { train: 0, test: 0 };
  const bySplit: { split: 'train' | 'test'; idx: Uint32Array }[] = [];
  for (const [s, split] of [
    [0, 'train'],
    [1, 'test'],
  ] as const) {
    const rows: number[] = [];
    for (let i = 0; i < matrix.split.length; i++) {
      if (matrix.split[i] !== s) continue;
      const y = matrix.labels[i];
      const gone = (y !== 0 && y !== 1) || (matrix.scrubbedRows?.has(i) === true && !replaced.has(i));
      if (gone) erasedExcluded[split]++;
      else rows.push(i);
    }
    bySplit.push({ split, idx: Uint32Array.from(rows) });
  }
  const scored = bySplit.map(({ split, idx }) => {
    const rows = modelRowsOf(matrix, idx, artifact.replaced);
    const z = logisticLinear(artifact.theta, rows.x);
    return { split, idx, scores: z.map(sigmoid), labels: rows.y };
  });
  const examined: Extract<ReportBias, { status: 'examined' }>['attributes'] = [];
  for (const a of attributes) {
    const groups = recorded.find((g) => g.name === a.name);
    if (!groups)
      return unavailable(
        `run ${matrix.runId}'s matrix holds no groups for ${a.name} (ingested before protected attributes were recorded: ingest the run again)`,
      );
    examined.push({
      ...a,
      splits: scored.map(({ split, idx, scores, labels }) =>
        examineGroups(
          split,
          scores,
          labels,
          Array.from(idx, (i) => groups.values[i]),
          threshold,
        ),
      ),
    });
  }
  return { status: 'examined', threshold, runId: matrix.runId, attributes: examined, erasedExcluded };
}
