/**
 * The two credit-risk runs the `pipelines` bench section compares: the pipeline read from its
 * file (`pipelines/credit-risk.yaml`: load and validate the file, read its sources, run it) and
 * the hand-written code it replaces (read the three tables, run the transforms). Both read the
 * same CSV folder and give the same samples and matrix (checked by {@link assertSameRuns}).
 * Each variant lives in its own module (`credit-risk-file-variant.ts`,
 * `credit-risk-hand-variant.ts`) so that a fresh process loads only the code of the one it runs.
 */
import type { TrackingMode } from '../../src/lineage/pipeline.js';
import {
  type FileVariantInputs,
  readFileVariantInputs,
  runFileVariant,
  transformFileVariant,
} from './credit-risk-file-variant.js';
import {
  type HandVariantInputs,
  readHandVariantInputs,
  runHandVariant,
  transformHandVariant,
} from './credit-risk-hand-variant.js';
import type { CreditRiskRunOutput } from './credit-risk-run-output.js';

export type { CreditRiskRunOutput } from './credit-risk-run-output.js';

/** Which code runs the pipeline: the pipeline file, or the hand-written code. */
export type CreditRiskVariant = 'file' | 'hand';

/** Parsed inputs of one variant (what its read step gives its transform step). */
export type CreditRiskInputs =
  | ({ variant: 'file' } & FileVariantInputs)
  | { variant: 'hand'; tables: HandVariantInputs };

/**
 * Reads the inputs of a variant from the CSV folder `dataDir` (`file`: the pipeline file is
 * loaded and validated first, then its declared sources read).
 */
export async function readCreditRiskInputs(
  variant: CreditRiskVariant,
  dataDir: string,
): Promise<CreditRiskInputs> {
  if (variant === 'hand') return { variant, tables: await readHandVariantInputs(dataDir) };
  return { variant, ...(await readFileVariantInputs(dataDir)) };
}

/** Runs the transforms of a variant on its parsed inputs (no I/O). */
export function transformCreditRisk(inputs: CreditRiskInputs, mode: TrackingMode): CreditRiskRunOutput {
  return inputs.variant === 'file'
    ? transformFileVariant(inputs, mode)
    : transformHandVariant(inputs.tables, mode);
}

/** Reads and runs a variant end to end (what `traceprop ingest` does before writing to Neo4j). */
export function runCreditRisk(
  variant: CreditRiskVariant,
  mode: TrackingMode,
  dataDir: string,
): Promise<CreditRiskRunOutput> {
  return variant === 'file' ? runFileVariant(mode, dataDir) : runHandVariant(mode, dataDir);
}

/**
 * Throws unless both runs gave the same sample keys, bit-identical matrices and the same number
 * of provenance ids (a timing of two different computations would compare nothing).
 */
export function assertSameRuns(file: CreditRiskRunOutput, hand: CreditRiskRunOutput): void {
  const same =
    file.keys.length === hand.keys.length &&
    file.keys.every((k, i) => k === hand.keys[i]) &&
    file.matrix.length === hand.matrix.length &&
    file.matrix.every((v, i) => Object.is(v, hand.matrix[i])) &&
    file.provenanceIds === hand.provenanceIds;
  if (!same)
    throw new Error(
      `the credit-risk pipeline file and the hand-written code disagree: ${file.keys.length} vs ${hand.keys.length} samples, ${file.matrix.length} vs ${hand.matrix.length} matrix cells, ${file.provenanceIds} vs ${hand.provenanceIds} provenance ids`,
    );
}
