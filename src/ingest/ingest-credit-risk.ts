import { InputError, UsageError } from '../errors.js';
import type { GraphClient } from '../graph/connection.js';
import { assertSafeName } from '../graph/identifiers.js';
import type { LeftOutReport } from '../pipeline-run/declared-run-types.js';
import { type CreditRiskFiles, creditRiskSources } from '../pipelines/credit-risk-files.js';
import { creditRiskPipeline, creditRiskPipelineFile } from '../pipelines/credit-risk-spec.js';
import {
  type IngestPipelineFileOptions,
  type IngestPipelineFileResult,
  ingestPipelineFile,
} from './ingest-pipeline-file.js';

/** Options of {@link ingestCreditRisk}: those of a pipeline-file ingest, and the three files. */
export interface IngestCreditRiskOptions
  extends Omit<IngestPipelineFileOptions, 'pipelineFile' | 'pipeline' | 'dataDir' | 'sources'> {
  files: CreditRiskFiles;
  /**
   * Header name of the label column in the application file (default: `TARGET` or `DEFAULTED`,
   * whichever the file has). Given, the pipeline reads it from that header only: the changed
   * pipeline is what is hashed and recorded on the run's `Pipeline` node.
   */
  labelColumn?: string;
  /**
   * Refuse the input when more than this fraction of the application rows has a label other than
   * 0/1 (default: credit-risk.yaml's `max_left_out`, 1%); below it those rows are left out and
   * reported (`droppedLabels`). Another value changes the recorded pipeline too.
   */
  maxBadLabels?: number;
}

/** Application rows left out because their label is not 0 or 1. */
export interface DroppedLabels {
  count: number;
  /** Application rows (after erased rows were left out). */
  rows: number;
  /** `count / rows`. */
  rate: number;
  /** The first few: 0-based data row and the label as read (`null`: empty). */
  examples: { row: number; value: string | null }[];
}

/** What {@link ingestCreditRisk} did. */
export interface IngestCreditRiskResult extends IngestPipelineFileResult {
  /** Application rows left out because their label is not 0 or 1. */
  droppedLabels: DroppedLabels;
}

/**
 * Ingests three Home Credit CSV files (`application`, `bureau`, `previous_application`) with the
 * shipped pipeline `pipelines/credit-risk.yaml`: {@link ingestPipelineFile} with the files as its
 * sources' paths, so the run, its lineage, its refusals and its recipe are those of a
 * pipeline-file ingest (`SourceFile.table`: `application`, `bureau`, `previous_application`).
 * Application rows whose label is not 0/1 are left out up to `maxBadLabels` and reported as
 * `droppedLabels`; more (or all) refuse the input (`pipeline.tooManyLeftOut`) before anything is
 * written.
 *
 * @example
 * const r = await ingestCreditRisk(client, { files: creditRiskFiles(dir), erasureSalt });
 * console.log(r.runId, r.samples, r.sourceRows, r.droppedLabels.count);
 */
export async function ingestCreditRisk(
  client: GraphClient,
  options: IngestCreditRiskOptions,
): Promise<IngestCreditRiskResult> {
  const { files, labelColumn, maxBadLabels, ...rest } = options;
  if (labelColumn !== undefined) assertSafeName('label column', labelColumn);
  if (maxBadLabels !== undefined && !(maxBadLabels >= 0 && maxBadLabels <= 1))
    throw new UsageError(
      'ingest.badMaxBadLabels',
      `maxBadLabels must be a fraction between 0 and 1, got ${JSON.stringify(maxBadLabels)}`,
    );
  let result: IngestPipelineFileResult;
  try {
    result = await ingestPipelineFile(client, {
      ...rest,
      pipelineFile: creditRiskPipelineFile,
      pipeline: creditRiskPipeline({ labelColumn, maxBadLabels }),
      sources: creditRiskSources(files),
    });
  } catch (err) {
    // The labelled filter's limit is maxBadLabels here (`--max-bad-labels`).
    if (err instanceof InputError && err.code === 'pipeline.tooManyLeftOut')
      throw new InputError(
        'pipeline.tooManyLeftOut',
        `${err.message} (the limit is --max-bad-labels, default 0.01)`,
        {
          cause: err,
        },
      );
    throw err;
  }
  return { ...result, droppedLabels: droppedLabelsOf(result.leftOut.labelled) };
}

/** The `labelled` filter's report as the labels it dropped. */
function droppedLabelsOf(report: LeftOutReport | undefined): DroppedLabels {
  if (!report) throw new TypeError('internal: the labelled filter of credit-risk.yaml did not report');
  return {
    count: report.count,
    rows: report.rows,
    rate: report.rate,
    examples: report.examples.map((e) => ({
      row: e.row,
      value: e.values.TARGET === null || e.values.TARGET === undefined ? null : String(e.values.TARGET),
    })),
  };
}
