import path from 'node:path';
import { packageRoot } from '../config.js';
import { loadPipelineSpec, parsePipelineSpec } from '../pipeline-spec/load-pipeline-spec.js';
import type { ValidatedPipeline } from '../pipeline-spec/validate-pipeline.js';

/**
 * The shipped credit-risk pipeline file, `pipelines/credit-risk.yaml` (in the npm package: the
 * `files` of package.json list `pipelines`). `traceprop ingest credit-risk` runs it.
 */
export const creditRiskPipelineFile = path.join(packageRoot, 'pipelines', 'credit-risk.yaml');

/** Changes to the shipped credit-risk pipeline. */
export interface CreditRiskPipelineOptions {
  /**
   * The header name of the label column `TARGET` in the application file: it is then read from
   * that header only (default: the file's `[TARGET, DEFAULTED]`, whichever is present).
   */
  labelColumn?: string;
  /**
   * The `max_left_out` of the `labelled` filter: the largest fraction of application rows without
   * a 0/1 label that are left out (default: the file's, 0.01).
   */
  maxBadLabels?: number;
}

/**
 * The shipped credit-risk pipeline, with the label's header name and the limit on unlabelled rows
 * changed when asked. A changed pipeline is another pipeline: its canonical text (and sha256, on
 * the run's `Pipeline` node) says what ran.
 *
 * @example
 * const p = creditRiskPipeline({ labelColumn: 'DEFAULTED' });
 * p.spec.sources[0].columns.TARGET; // { type: 'number', header: ['DEFAULTED'] }
 */
export function creditRiskPipeline(options: CreditRiskPipelineOptions = {}): ValidatedPipeline {
  const shipped = loadPipelineSpec(creditRiskPipelineFile);
  const { labelColumn, maxBadLabels } = options;
  if (labelColumn === undefined && maxBadLabels === undefined) return shipped;
  const spec = structuredClone(shipped.spec);
  const application = spec.sources.find((s) => s.name === 'application');
  const labelled = spec.steps.find((s) => s.id === 'labelled');
  if (application?.columns.TARGET === undefined || labelled?.kind !== 'filter')
    throw new TypeError(
      `internal: ${creditRiskPipelineFile} lacks application.TARGET or the labelled filter`,
    );
  const changes: string[] = [];
  if (labelColumn !== undefined) {
    application.columns.TARGET = { type: 'number', header: [labelColumn] };
    changes.push(`label read from ${labelColumn}`);
  }
  if (maxBadLabels !== undefined) {
    labelled.max_left_out = maxBadLabels;
    changes.push(`max_left_out ${maxBadLabels}`);
  }
  return parsePipelineSpec(
    JSON.stringify(spec, null, 2),
    `${creditRiskPipelineFile} (${changes.join(', ')})`,
  );
}
