/**
 * Pipelines benchmark section (DESIGN §7 `pipelines`, issue 10 item 8):
 *
 * - `fileVsHandWritten`: the credit-risk pipeline read from `pipelines/credit-risk.yaml` ÷ the
 *   hand-written code it replaces, on the same generated applicants (20k; 2k with `--quick`),
 *   untracked (mode `none`); `rowOverheadFromFile`: the file-driven run row-tracked ÷ untracked.
 *   Both are the `warm` measurement (in-process, read + run, interleaved, medians after a
 *   warm-up); `creditRisk.warm` also has the row-tracked ratio, `creditRisk.transformsOnly` the
 *   run on parsed tables, `creditRisk.freshProcess` a new node process per run (what a one-off
 *   run costs a user; the pipeline cache of TRACEPROP_HOME warm, as when an unchanged file is run
 *   again) and `creditRisk.freshProcessFirstRun` the same with an empty TRACEPROP_HOME per run.
 *   Targets: ≤ 1.05 and ≤ 1.15.
 * - `berkaIngestSeconds`, `berkaNodes`, `berkaRelationships`: `pipelines/berka-loans.yaml` on the
 *   Berka data set ingested end to end (parse → Neo4j) into an emptied graph; the graph size of
 *   that run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GraphClient } from '../src/graph/connection.js';
import { generateCreditRisk } from '../src/pipelines/credit-risk-generator.js';
import { benchBerkaIngest } from './support/berka-ingest.js';
import { compareFileWithHandWritten } from './support/file-vs-hand-written.js';

/** Options of {@link runPipelinesBench}. */
export interface PipelinesBenchOptions {
  /** 2k applicants, fewer repetitions (smoke runs). */
  quick?: boolean;
  log: (line: string) => void;
  client: GraphClient;
}

/** Runs the section and returns the `pipelines` object of the bench JSON. */
export async function runPipelinesBench(opts: PipelinesBenchOptions): Promise<Record<string, unknown>> {
  const quick = opts.quick ?? false;
  const { log } = opts;
  const applicants = quick ? 2000 : 20_000;
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'traceprop-bench-pipelines-'));
  try {
    log(`pipelines: generating credit-risk data (${applicants} applicants)`);
    const ds = await generateCreditRisk({ applicants, seed: 7, outDir: dir });
    const c = await compareFileWithHandWritten({ dataDir: dir, quick, log });
    const berka = await benchBerkaIngest({ client: opts.client, quick, log });
    return {
      fileVsHandWritten: c.warm.fileVsHandWritten.none,
      rowOverheadFromFile: c.warm.rowOverheadFromFile,
      measuredAs: 'warm (in-process, read + run); fresh-process figures in creditRisk.freshProcess',
      ...berka,
      creditRisk: {
        applicants,
        sourceRows: ds.totalRows,
        samples: c.samples,
        provenanceIds: c.provenanceIds,
        warm: c.warm,
        transformsOnly: c.transformsOnly,
        freshProcess: c.freshProcess,
        freshProcessFirstRun: c.freshProcessFirstRun,
      },
    };
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}
