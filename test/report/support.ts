import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/config.js';
import type { GraphClient } from '../../src/graph/connection.js';
import { runAttributionJob } from '../../src/jobs/attribution/run-attribution-job.js';
import { generateCreditRisk } from '../../src/pipelines/credit-risk-generator.js';
import { runTraceprop } from '../support/cli.js';

/** A name no report may print raw: it would run as a script in the HTML page. */
export const hostile = '<script>alert("x")</script>';

/** What {@link reportFixture} made: a signed, certified, erased and attributed model line. */
export interface ReportFixture {
  env: Record<string, string>;
  /** The application file (its name holds {@link hostile}'s opening tag) and the others, by table. */
  files: Record<string, string>;
  runId: string;
  /** Version 1 of the line (trained with --certify). */
  firstModelId: string;
  /** Version 2: produced by the erasure, then attributed. */
  modelId: string;
  requestId: string;
  /** The application rows the erasure named. */
  erasedRows: number[];
}

/**
 * Builds the graph the report tests read, through the CLI as a user would: a signing key, generated
 * credit-risk data (120 applicants) whose application file is named with an HTML tag, the shipped
 * pipeline with {@link hostile} in a step description, ingested and trained for (ε, δ)-certified
 * removal; an erasure of two application rows (in process); then attribution of the new version.
 */
export async function reportFixture(client: GraphClient, dir: string): Promise<ReportFixture> {
  const home = path.join(dir, 'home');
  const env = { TRACEPROP_HOME: home };
  const ds = await generateCreditRisk({ applicants: 120, seed: 31, outDir: path.join(dir, 'data') });
  const files = Object.fromEntries(ds.files.map((f) => [f.table, f.path]));
  const hostileApplication = path.join(dir, 'data', '<b>application<script>.csv');
  fs.renameSync(files.application, hostileApplication);
  files.application = hostileApplication;
  const yaml = fs
    .readFileSync(path.join(packageRoot, 'pipelines', 'credit-risk.yaml'), 'utf8')
    .replace(
      'description: labelled applications (SK_ID_CURR present and TARGET in {0, 1})',
      `description: '${hostile} labelled applications'`,
    );
  const pipelineFile = path.join(dir, 'credit-risk.yaml');
  fs.writeFileSync(pipelineFile, yaml);
  (await runTraceprop(['keys', 'init', '--json'], { env })).ok();
  const ingest = (
    await runTraceprop(
      [
        'ingest',
        'pipeline',
        pipelineFile,
        '--source',
        `application=${files.application}`,
        '--source',
        `bureau=${files.bureau}`,
        '--source',
        `previous_application=${files.previous_application}`,
        '--train',
        '--certify',
        '1,1e-5',
        '--json',
      ],
      { env },
    )
  )
    .ok()
    .json<{ runId: string; modelId: string }>();
  const runId = ingest.runId;
  const firstModelId = ingest.modelId;
  const erasedRows = [3, 5];
  const unlearn = (
    await runTraceprop(
      [
        'unlearn',
        '--model',
        firstModelId,
        '--file',
        sha256File(files.application),
        '--rows',
        erasedRows.join(','),
        '--min-training-rows',
        '50',
        '--local',
        '--json',
      ],
      { env },
    )
  )
    .ok()
    .json<{ requestId: string; modelId: string }>();
  await runAttributionJob(
    { client, home, jobId: `report-attribution-${Date.now()}`, attempt: 1, progress: async () => {} },
    { modelId: unlearn.modelId, samples: 'test', top: 5, method: 'ns' },
  );
  return {
    env,
    files,
    runId,
    firstModelId,
    modelId: unlearn.modelId,
    requestId: unlearn.requestId,
    erasedRows,
  };
}

/** Hex sha256 of a file's bytes. */
export function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Data rows of a CSV file (lines after the header, the last newline not counted). */
export function csvDataRows(file: string): number {
  return fs.readFileSync(file, 'utf8').trimEnd().split('\n').length - 1;
}
