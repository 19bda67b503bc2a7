import type { GraphClient } from '../connection.js';
import { cypherText } from '../cypher-library.js';
import { runReadQuery } from '../read-query.js';

/** A source row an erasure erased. */
interface ErasedSourceRow {
  rowId: string;
  fileId: string;
  /** File name, e.g. `bureau.csv`. */
  file: string;
  table: string;
  row: number;
}

/** An active model that still holds rows of an erasure. */
interface ModelHoldingErasedRows {
  modelId: string;
  version: number;
  runId: string;
  /** `row`: its training samples derive from the rows; `file`: an op-mode run read their file. */
  via: 'row' | 'file';
  /** Training samples derived from the erased rows and not unlearned for this model (0 via file). */
  samples: number;
  /** Erased rows of the request the model still holds. */
  rows: number;
}

/** One completed erasure request. */
export interface ErasureRecord {
  requestId: string;
  mode: string;
  completedAt: string;
  /** Sorted by file, then row. */
  rows: ErasedSourceRow[];
  /** Active models still holding any of its rows (empty once every line has unlearned them). */
  holdingModels: ModelHoldingErasedRows[];
}

/** Every erasure, and the active models that still hold erased data. */
export interface ErasureReport {
  requests: ErasureRecord[];
  /** Distinct active models holding erased rows of any request, sorted. */
  holdingModelIds: string[];
}

/**
 * The completed erasure requests, their rows, and the active models still holding any of those
 * rows (cypher/queries/erasures.cypher): a model of another line, trained on a run whose training
 * samples derive from the erased rows, stays listed until it is unlearned. With `requestId`, only
 * that request.
 *
 * @example
 * const { holdingModelIds } = await erasures(client);
 * if (holdingModelIds.length) console.log('unlearn these:', holdingModelIds);
 */
export async function erasures(client: GraphClient, requestId: string | null = null): Promise<ErasureReport> {
  const records = await runReadQuery(client, cypherText('queries', 'erasures'), { requestId });
  const requests = records.map(
    (r): ErasureRecord => ({
      requestId: r.requestId as string,
      mode: r.mode as string,
      completedAt: r.completedAt as string,
      rows: (r.rows as ErasedSourceRow[])
        .map((x) => ({ ...x, row: Number(x.row) }))
        .sort((a, b) => a.file.localeCompare(b.file) || a.fileId.localeCompare(b.fileId) || a.row - b.row),
      holdingModels: (r.models as ModelHoldingErasedRows[])
        .map((m) => ({
          ...m,
          version: Number(m.version),
          samples: Number(m.samples),
          rows: Number(m.rows),
        }))
        .sort((a, b) => a.modelId.localeCompare(b.modelId) || a.via.localeCompare(b.via)),
    }),
  );
  const holding = new Set(requests.flatMap((r) => r.holdingModels.map((m) => m.modelId)));
  return { requests, holdingModelIds: [...holding].sort() };
}
