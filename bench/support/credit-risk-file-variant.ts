/**
 * The `file` side of the `pipelines` bench comparison: the shipped `pipelines/credit-risk.yaml`
 * loaded and validated as `traceprop ingest FILE` loads it (through the pipeline cache of
 * TRACEPROP_HOME: on a hit the YAML parser and the zod schema are neither loaded nor run, the
 * semantic checks always run), its declared sources read, and the pipeline run. Imports only
 * what a file-driven run needs (the fresh-process child loads this module alone).
 */
import path from 'node:path';
import { loadConfig, packageRoot } from '../../src/config.js';
import type { TrackingMode } from '../../src/lineage/pipeline.js';
import type { CsvTable } from '../../src/lineage/read-csv.js';
import { readPipelineSources } from '../../src/pipeline-run/read-pipeline-sources.js';
import { runDeclaredPipeline } from '../../src/pipeline-run/run-declared-pipeline.js';
import { loadPipelineSpecCached, pipelineSpecCacheDir } from '../../src/pipeline-spec/pipeline-spec-cache.js';
import type { ValidatedPipeline } from '../../src/pipeline-spec/validate-pipeline.js';
import type { CreditRiskRunOutput } from './credit-risk-run-output.js';

/** The shipped credit-risk pipeline file. */
const creditRiskPipelineFile = path.join(packageRoot, 'pipelines', 'credit-risk.yaml');

/** Parsed inputs of the file variant. */
export interface FileVariantInputs {
  pipeline: ValidatedPipeline;
  tables: Map<string, CsvTable>;
}

/** Loads and validates the pipeline file, then reads its declared sources from `dataDir`. */
export async function readFileVariantInputs(dataDir: string): Promise<FileVariantInputs> {
  const cacheDir = pipelineSpecCacheDir(loadConfig().home);
  const pipeline = await loadPipelineSpecCached(creditRiskPipelineFile, cacheDir);
  return { pipeline, tables: await readPipelineSources(pipeline, dataDir) };
}

/** Runs the pipeline on parsed inputs (no I/O). */
export function transformFileVariant(inputs: FileVariantInputs, mode: TrackingMode): CreditRiskRunOutput {
  const r = runDeclaredPipeline(inputs.pipeline, inputs.tables, { mode });
  return { keys: r.keys, matrix: r.matrix.data, provenanceIds: r.lineage?.provenance?.rowIds.length ?? 0 };
}

/** Reads and runs the file variant end to end. */
export async function runFileVariant(mode: TrackingMode, dataDir: string): Promise<CreditRiskRunOutput> {
  return transformFileVariant(await readFileVariantInputs(dataDir), mode);
}
