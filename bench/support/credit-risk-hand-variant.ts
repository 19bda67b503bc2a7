/**
 * The `hand` side of the `pipelines` bench comparison: the hand-written credit-risk code that
 * `pipelines/credit-risk.yaml` replaced (read the three tables, run the transforms). Imports only
 * what that code needs (the fresh-process child loads this module alone).
 */
import type { TrackingMode } from '../../src/lineage/pipeline.js';
import type { CreditRiskRunOutput } from './credit-risk-run-output.js';
import { creditRiskFiles, readCreditRiskTables, runCreditRiskTransforms } from './hand-written-baseline.js';

/** Parsed inputs of the hand-written variant. */
export type HandVariantInputs = Awaited<ReturnType<typeof readCreditRiskTables>>;

/** Reads the three credit-risk tables from `dataDir`. */
export function readHandVariantInputs(dataDir: string): Promise<HandVariantInputs> {
  return readCreditRiskTables(creditRiskFiles(dataDir));
}

/** Runs the hand-written transforms on parsed tables (no I/O). */
export function transformHandVariant(tables: HandVariantInputs, mode: TrackingMode): CreditRiskRunOutput {
  const r = runCreditRiskTransforms(tables, { mode });
  return { keys: r.keys, matrix: r.matrix.data, provenanceIds: r.lineage?.provenance?.rowIds.length ?? 0 };
}

/** Reads and runs the hand-written variant end to end. */
export async function runHandVariant(mode: TrackingMode, dataDir: string): Promise<CreditRiskRunOutput> {
  return transformHandVariant(await readHandVariantInputs(dataDir), mode);
}
