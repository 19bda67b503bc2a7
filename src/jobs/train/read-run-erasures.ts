import type { ArtifactHome } from '../../artifacts/artifact-home.js';
import type { CsrMatrix } from '../../attribution/csr-matrix.js';
import { TracepropError } from '../../errors.js';
import type { GraphClient } from '../../graph/connection.js';
import { cypherText } from '../../graph/cypher-library.js';
import { runReadRecords } from '../../graph/read-query.js';
import { loadModelArtifact } from '../../models/model-artifact-store.js';
import { replacedRowsFrom } from '../../models/replaced-rows.js';
import type { RunMatrix } from '../../models/run-matrix.js';
import { sampleRowIndex } from '../../models/sample-row-index.js';
import type { RunErasures } from './compute-train.js';

/**
 * The run's samples that completed unlearning requests dropped or re-derived. A re-derived
 * sample's row is taken from the artifact of the active version that carries it forward from the
 * model its latest request produced, or from that model (the saved run matrix's row was scrubbed
 * or is the ingested one), so a model trained on the run afresh sees what the
 * model line sees: no erased data.
 *
 * @throws TracepropError `models.rederivedRowMissing` when that artifact lacks the row.
 */
export async function readRunErasures(
  client: GraphClient,
  home: ArtifactHome,
  matrix: RunMatrix,
): Promise<RunErasures> {
  const records = await runReadRecords(client, cypherText('jobs/train', 'erased-or-rederived-samples'), {
    runId: matrix.runId,
  });
  const rowOf = sampleRowIndex(matrix);
  const dropped = new Set<number>();
  const wanted: { row: number; request: string; modelIds: string[] }[] = [];
  for (const r of records) {
    const row = rowOf.get(r.get('id') as string);
    if (row === undefined) continue;
    if (r.get('erased') === true) {
      dropped.add(row);
      continue;
    }
    const modelIds = r.get('modelIds') as string[];
    const request = r.get('request') as string;
    if (modelIds.length === 0)
      throw missingRow(matrix.sampleIds[row], `its unlearning request ${request} produced no model`);
    wanted.push({ row, request, modelIds });
  }
  const artifacts = new Map<string, ReplacedRowIndex | null>();
  const replacedOf = async (modelId: string) => {
    if (!artifacts.has(modelId)) artifacts.set(modelId, await replacedIndex(home, modelId));
    return artifacts.get(modelId) ?? null;
  };
  const entries: [number, CsrMatrix, number][] = [];
  for (const { row, request, modelIds } of wanted) {
    let found: [CsrMatrix, number] | undefined;
    for (const modelId of modelIds) {
      const index = await replacedOf(modelId);
      const k = index?.at.get(row);
      if (index && k !== undefined) {
        found = [index.x, k];
        break;
      }
    }
    if (!found)
      throw missingRow(
        matrix.sampleIds[row],
        `no model that holds its row (${modelIds.join(', ')}, from its unlearning request ${request}) has a re-derived row for it`,
      );
    entries.push([row, ...found]);
  }
  return {
    dropped,
    ...(entries.length ? { replaced: replacedRowsFrom(entries, matrix.features.cols) } : {}),
  };
}

interface ReplacedRowIndex {
  x: CsrMatrix;
  /** Run-matrix row → row of `x`. */
  at: Map<number, number>;
}

/** A model's re-derived rows by run-matrix row; null when its parameters were shredded or are missing. */
async function replacedIndex(home: ArtifactHome, modelId: string): Promise<ReplacedRowIndex | null> {
  const artifact = await loadModelArtifact(home, modelId).catch((err: unknown) => {
    if (err instanceof TracepropError && (err.code === 'models.shredded' || err.code === 'models.noArtifact'))
      return null;
    throw err;
  });
  const replaced = artifact?.replaced;
  if (!replaced) return null;
  const at = new Map<number, number>();
  for (let k = 0; k < replaced.samples.length; k++) at.set(replaced.samples[k], k);
  return { x: replaced.x, at };
}

function missingRow(sampleId: string, why: string): TracepropError {
  return new TracepropError(
    'models.rederivedRowMissing',
    `sample ${sampleId} was re-derived without erased rows, but ${why}; the model artifacts under TRACEPROP_HOME are needed to train on this run`,
  );
}
