/**
 * The two credit-risk runs the `pipelines` bench section compares: the pipeline read from its
 * file (`pipelines/credit-risk.yaml`: load and validate the file, read its sources, run it) and
 * the hand-written code it replaces (read the three tables, run the transforms). Both read the
 * same CSV folder and give the same samples and matrix (checked by {@link assertSameRuns}).
 */
import path from 'node:path';
import { packageRoot } from '../../src/config.js';
import type { TrackingMode } from '../../src/lineage/pipeline.js';
import type { CsvTable } from '../../src/lineage/read-csv.js';
import { readPipelineSources } from '../../src/pipeline-run/read-pipeline-sources.js';
import { runDeclaredPipeline } from '../../src/pipeline-run/run-declared-pipeline.js';
import { loadPipelineSpec } from '../../src/pipeline-spec/load-pipeline-spec.js';
import type { ValidatedPipeline } from '../../src/pipeline-spec/validate-pipeline.js';
import { creditRiskFiles, readCreditRiskTables, runCreditRiskTransforms } from './hand-written-baseline.js';

/** The shipped credit-risk pipeline file. */
const creditRiskPipelineFile = path.join(packageRoot, 'pipelines', 'credit-risk.yaml');

/** Which code runs the pipeline: the pipeline file, or the hand-written code. */
export type CreditRiskVariant = 'file' | 'hand';

/** What a run gave: enough to compare the variants (and to keep the work observable). */
export interface CreditRiskRunOutput {
  keys: readonly string[];
  /** Row-major samples × features. */
  matrix: Float64Array;
  /** Row-provenance ids (0 in mode `none`). */
  provenanceIds: number;
}

/** Parsed inputs of one variant (what its read step gives its transform step). */
export type CreditRiskInputs =
  | { variant: 'file'; pipeline: ValidatedPipeline; tables: Map<string, CsvTable> }
  | { variant: 'hand'; tables: Awaited<ReturnType<typeof readCreditRiskTables>> };

/**
 * Reads the inputs of a variant from the CSV folder `dataDir` (`file`: the pipeline file is
 * loaded and validated first, then its declared sources read).
 */
export async function readCreditRiskInputs(
  variant: CreditRiskVariant,
  dataDir: string,
  pipelineFile = creditRiskPipelineFile,
): Promise<CreditRiskInputs> {
  if (variant === 'hand') return { variant, tables: await readCreditRiskTables(creditRiskFiles(dataDir)) };
  const pipeline = loadPipelineSpec(pipelineFile);
  return { variant, pipeline, tables: await readPipelineSources(pipeline, dataDir) };
}

/** Runs the transforms of a variant on its parsed inputs (no I/O). */
export function transformCreditRisk(inputs: CreditRiskInputs, mode: TrackingMode): CreditRiskRunOutput {
  const r =
    inputs.variant === 'file'
      ? runDeclaredPipeline(inputs.pipeline, inputs.tables, { mode })
      : runCreditRiskTransforms(inputs.tables, { mode });
  return { keys: r.keys, matrix: r.matrix.data, provenanceIds: r.lineage?.provenance?.rowIds.length ?? 0 };
}

/** Reads and runs a variant end to end (what `traceprop ingest` does before writing to Neo4j). */
export async function runCreditRisk(
  variant: CreditRiskVariant,
  mode: TrackingMode,
  dataDir: string,
  pipelineFile = creditRiskPipelineFile,
): Promise<CreditRiskRunOutput> {
  return transformCreditRisk(await readCreditRiskInputs(variant, dataDir, pipelineFile), mode);
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
