import type { CsrMatrix } from '../../attribution/csr-matrix.js';
import { TracepropError } from '../../errors.js';
import type { GraphClient } from '../../graph/connection.js';
import { cypherText } from '../../graph/cypher-library.js';
import { runReadRecords } from '../../graph/read-query.js';
import { loadModelArtifact } from '../../models/model-artifact-store.js';
import { replacedRowsFrom } from '../../models/replaced-rows.js';
import type { RunMatrix } from '../../models/run-matrix.js';
import type { RunErasures } from './compute-train.js';

/**
 * The run's samples that completed unlearning requests dropped or re-derived. A re-derived
 * sample's row is taken from the artifact of the model its latest request produced (the saved
 * run matrix keeps the rows as ingested), so a model trained on the run afresh sees what the
 * model line sees: no erased data.
 *
 * @throws TracepropError `models.rederivedRowMissing` when that artifact lacks the row.
 */
export async function readRunErasures(
  client: GraphClient,
  home: string,
  matrix: RunMatrix,
): Promise<RunErasures> {
  const records = await runReadRecords(client, cypherText('jobs/train', 'erased-or-rederived-samples'), {
    runId: matrix.runId,
  });
  const rowOf = new Map<string, number>();
  for (let i = 0; i < matrix.sampleIds.length; i++) rowOf.set(matrix.sampleIds[i], i);
  const dropped = new Set<number>();
  const byModel = new Map<string, { row: number; request: string }[]>();
  for (const r of records) {
    const row = rowOf.get(r.get('id') as string);
    if (row === undefined) continue;
    if (r.get('erased') === true) {
      dropped.add(row);
      continue;
    }
    const modelId = r.get('modelId') as string | null;
    const request = r.get('request') as string;
    if (!modelId)
      throw missingRow(matrix.sampleIds[row], `its unlearning request ${request} produced no model`);
    byModel.set(modelId, [...(byModel.get(modelId) ?? []), { row, request }]);
  }
  const entries: [number, CsrMatrix, number][] = [];
  for (const [modelId, rows] of byModel) {
    const replaced = (await loadModelArtifact(home, modelId)).replaced;
    const at = new Map<number, number>();
    if (replaced) for (let k = 0; k < replaced.samples.length; k++) at.set(replaced.samples[k], k);
    for (const { row, request } of rows) {
      const k = at.get(row);
      if (k === undefined || !replaced)
        throw missingRow(
          matrix.sampleIds[row],
          `model ${modelId} (produced by its unlearning request ${request}) has no re-derived row for it`,
        );
      entries.push([row, replaced.x, k]);
    }
  }
  return {
    dropped,
    ...(entries.length ? { replaced: replacedRowsFrom(entries, matrix.features.cols) } : {}),
  };
}

function missingRow(sampleId: string, why: string): TracepropError {
  return new TracepropError(
    'models.rederivedRowMissing',
    `sample ${sampleId} was re-derived without erased rows, but ${why}; the model artifacts under TRACEPROP_HOME are needed to train on this run`,
  );
}
