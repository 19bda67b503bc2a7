import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, packageRoot } from '../../src/config.js';
import { resolveErasureSalt } from '../../src/erasure/erasure-salt.js';
import type { GraphClient } from '../../src/graph/connection.js';
import { cypherText } from '../../src/graph/cypher-library.js';
import { runReadQuery } from '../../src/graph/read-query.js';
import { ingestPipelineFile } from '../../src/ingest/ingest-pipeline-file.js';
import { clearGraph } from './clear-graph.js';
import { median } from './interleaved.js';

/** Options of {@link benchBerkaIngest}. */
export interface BerkaIngestOptions {
  client: GraphClient;
  /** One repetition after the warm-up instead of five. */
  quick: boolean;
  log: (line: string) => void;
}

const r3 = (v: number): number => Math.round(v * 1000) / 1000;

/**
 * `pipelines/berka-loans.yaml` on the shared Berka data set, ingested end to end into an emptied
 * Neo4j with `ingestPipelineFile` (as `traceprop ingest FILE` does: validate the file, parse the
 * CSVs, run the pipeline with row lineage, save the run matrix, write to Neo4j), timed from the
 * call to its return; median over the repetitions after a warm-up. The node and relationship
 * counts are those of the last run (`cypher/queries/run-graph-size.cypher`), checked against what
 * the writer reported.
 */
export async function benchBerkaIngest(opts: BerkaIngestOptions): Promise<Record<string, unknown>> {
  const { client, log } = opts;
  const config = loadConfig();
  const dataDir = path.join(config.datasetsDir, 'berka_czech_financial');
  if (!fs.existsSync(path.join(dataDir, 'loan.csv')))
    throw new Error(`the Berka data set is missing: expected ${dataDir} (or set TRACEPROP_DATASETS)`);
  const erasureSalt = resolveErasureSalt(config);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-bench-berka-'));
  const reps = opts.quick ? 1 : 5;
  const seconds: number[] = [];
  const pipelineSeconds: number[] = [];
  const writeSeconds: number[] = [];
  try {
    let last: Awaited<ReturnType<typeof ingestPipelineFile>> | undefined;
    for (let rep = 0; rep <= reps; rep++) {
      await clearGraph(client);
      const t0 = performance.now();
      last = await ingestPipelineFile(client, {
        pipelineFile: path.join(packageRoot, 'pipelines', 'berka-loans.yaml'),
        dataDir,
        runId: `bench-berka-${process.pid}-${rep}`,
        artifactsHome: home,
        erasureSalt,
      });
      const s = (performance.now() - t0) / 1000;
      log(
        `pipelines: berka ingest ${rep === 0 ? 'warm-up' : `rep ${rep}/${reps}`}: ${s.toFixed(2)} s (pipeline ${last.pipelineSeconds.toFixed(2)} s, write ${last.writeSeconds.toFixed(2)} s)`,
      );
      if (rep === 0) continue;
      seconds.push(s);
      pipelineSeconds.push(last.pipelineSeconds);
      writeSeconds.push(last.writeSeconds);
    }
    const run = last as NonNullable<typeof last>;
    for (const w of run.warnings) log(`pipelines: berka warning: ${w}`);
    const [size] = await runReadQuery(client, cypherText('queries', 'run-graph-size'), { runId: run.runId });
    const n = (k: string) => Number(size[k]);
    const expected = {
      ops: run.ops,
      samples: run.samples,
      files: run.files,
      sourceRows: run.sourceRows,
      derivedFrom: run.provenanceEdges,
    };
    for (const [k, v] of Object.entries(expected))
      if (n(k) !== v)
        throw new Error(`berka run ${run.runId}: ${k} in Neo4j ${n(k)}, the writer reported ${v}`);
    return {
      berkaIngestSeconds: r3(median(seconds)),
      berkaNodes: n('nodes'),
      berkaRelationships: n('relationships'),
      berka: {
        measure:
          'ingestPipelineFile into an emptied Neo4j: validate, parse, run (row lineage), save the run matrix, write',
        repetitions: seconds.map(r3),
        pipelineSeconds: r3(median(pipelineSeconds)),
        writeSeconds: r3(median(writeSeconds)),
        samples: run.samples,
        features: run.features,
        ops: n('ops'),
        files: n('files'),
        sourceRows: n('sourceRows'),
        derivedFrom: n('derivedFrom'),
        warnings: run.warnings.length,
      },
    };
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}
