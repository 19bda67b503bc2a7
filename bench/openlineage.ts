import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, packageRoot } from '../src/config.js';
import { resolveErasureSalt } from '../src/erasure/erasure-salt.js';
import type { GraphClient } from '../src/graph/connection.js';
import { ingestPipelineFile } from '../src/ingest/ingest-pipeline-file.js';
import { ingestCompleteEvent, ingestStartEvent } from '../src/openlineage/ingest-events.js';
import { openLineageEmitter } from '../src/openlineage/lineage-emitter.js';
import { loadPipelineSpec } from '../src/pipeline-spec/load-pipeline-spec.js';
import { generateCreditRisk } from '../src/pipelines/credit-risk-generator.js';
import { openLineageValidator } from '../test/support/openlineage-spec.js';
import { clearGraph } from './support/clear-graph.js';
import { interleavedAsync, median } from './support/interleaved.js';

/**
 * The `openlineage` bench section (issue 14 target: events add ≤ 1% to a 20k ingest, file
 * transport). Generated credit-risk data (20,000 applicants; 2,000 with `--quick`) ingested with
 * pipelines/credit-risk.yaml in row mode, in this process (warm), interleaved: without events
 * (transport `none`) and with the file transport (START and COMPLETE written and flushed before
 * the ingest counts as done). The graph is cleared before each ingest (not timed) so both write
 * the same rows. `ingestOverhead` = median with ÷ median without (noisy: the two differ by
 * two events only); `eventsMs` = the median time to build an ingest's START and COMPLETE for
 * this pipeline, write them to a file and flush (25 rounds after 5 warm-ups: the exact cost the
 * ratio cannot resolve), and `eventsShare` = eventsMs ÷ the median ingest without events.
 * `eventsValid`: the share of the ingests' events valid against the OpenLineage specification.
 */
export async function runOpenLineageBench(opts: {
  quick?: boolean;
  log: (s: string) => void;
  client: GraphClient;
}): Promise<Record<string, unknown>> {
  const { client, log } = opts;
  const applicants = opts.quick ? 2000 : 20_000;
  const reps = opts.quick ? 2 : 6;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-bench-ol-'));
  try {
    await generateCreditRisk({ applicants, seed: 11, outDir: work });
    const config = loadConfig();
    const erasureSalt = resolveErasureSalt(config);
    const pipelineFile = path.join(packageRoot, 'pipelines', 'credit-risk.yaml');
    const eventsFile = path.join(work, 'events.jsonl');
    const ingestMs: Record<'without' | 'withFileEvents', number[]> = { without: [], withFileEvents: [] };
    let round = 0;
    const ingest = async (withEvents: boolean) => {
      await clearGraph(client);
      const started = performance.now();
      const events = withEvents
        ? openLineageEmitter({ ...config.openLineage, transport: 'file', file: eventsFile }, (m) =>
            log(`openlineage: ${m}`),
          )
        : undefined;
      await ingestPipelineFile(client, {
        pipelineFile,
        dataDir: work,
        mode: 'row',
        erasureSalt,
        applySchema: false,
        ...(events ? { lineageEvents: events } : {}),
      });
      if (events) {
        const report = await events.flush();
        if (report.delivered !== 2)
          throw new Error(`expected 2 events written, got ${JSON.stringify(report)}`);
      }
      // The first ingest of each variant is its warm-up.
      const ms = performance.now() - started;
      log(
        `openlineage: ingest ${withEvents ? 'with file events' : 'without events'} ${(ms / 1000).toFixed(2)} s${round < 2 ? ' (warm-up)' : ''}`,
      );
      if (round++ >= 2) ingestMs[withEvents ? 'withFileEvents' : 'without'].push(ms);
    };
    await interleavedAsync(
      {
        without: async () => {
          await ingest(false);
        },
        withFileEvents: async () => {
          await ingest(true);
        },
      },
      1,
      reps,
    );
    const without = median(ingestMs.without);
    const withEvents = median(ingestMs.withFileEvents);
    const written = fs
      .readFileSync(eventsFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    const validator = openLineageValidator();
    const valid = written.filter((e) => validator.problems(e).length === 0).length;

    // The exact cost of the events: build START and COMPLETE for this pipeline, write and flush them.
    const pipeline = loadPipelineSpec(pipelineFile);
    const context = {
      namespace: config.openLineage.namespace,
      pipeline,
      runId: '3f1e4a52-6c9b-4d1e-8f3a-2b7c9d0e1f2a',
      mode: 'row' as const,
      sourcePaths: Object.fromEntries(
        pipeline.spec.sources.map((src) => [src.name, path.join(work, src.path)]),
      ),
    };
    const costFile = path.join(work, 'cost.jsonl');
    const costs: number[] = [];
    for (let i = 0; i < 25; i++) {
      const t = performance.now();
      const events = openLineageEmitter({ ...config.openLineage, transport: 'file', file: costFile }, log);
      events.emit(ingestStartEvent(context));
      events.emit(
        ingestCompleteEvent(context, {
          samples: applicants,
          sourceRows: applicants * 10,
          provenanceEdges: applicants * 10,
          ops: 12,
          pipelineSha256: '0'.repeat(64),
        }),
      );
      await events.flush();
      if (i >= 5) costs.push(performance.now() - t);
    }
    const eventsMs = median(costs);
    const result = {
      applicants,
      measured:
        'in-process, warm (after one warm-up each), interleaved; medians; the graph cleared before each ingest',
      ingestSeconds: { without: without / 1000, withFileEvents: withEvents / 1000 },
      ingestOverhead: withEvents / without,
      eventsMs,
      eventsShare: eventsMs / without,
      eventsWritten: written.length,
      eventsValid: valid / written.length,
    };
    log(
      `openlineage: ${applicants} applicants: ingest ${(without / 1000).toFixed(2)} s without events, ${(withEvents / 1000).toFixed(2)} s with the file transport (×${result.ingestOverhead.toFixed(3)}); writing the events ${eventsMs.toFixed(2)} ms (${(result.eventsShare * 100).toFixed(3)} %); ${valid}/${written.length} events valid against the specification`,
    );
    return result;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
