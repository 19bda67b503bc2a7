/**
 * Graph benchmark section (DESIGN §7 `graph`), measured side by side in one run:
 *
 * - (c) `ingestSeconds`: writeLineageRun of the credit-risk run (20k applicants, row mode) into an
 *   empty Neo4j; `loadCsvSeconds`: Neo4j's own `LOAD CSV … CALL { } IN TRANSACTIONS OF 10000
 *   ROWS` of the same nodes and relationships from CSVs in the import folder (MERGE for
 *   SourceFile/SourceRow as the writer's idempotent contract; `loadCsvCreateSeconds` the CREATE
 *   variant); `ingestVsLoadCsv` = ours ÷ reference. Interleaved, graph cleared before each,
 *   medians over 5 repetitions after a warm-up (1 in quick mode). CSV writing, the pipeline and
 *   clearing are excluded from both.
 * - (d) p50 / p99 over Bolt (one session per call, one auto-commit read query each, as the query
 *   functions run) of sources() on random samples and ancestors() at depth 10, 100, 1000 on a
 *   synthetic chain of 1000 ops (ancestors() runs the bounded `ancestors-within-<b>` walk);
 *   `boltFloorP50Ms` is `RETURN 1` in a read transaction, interleaved with `sources()`: the round
 *   trip every query figure includes.
 *   `ancestorsUnboundedP50Ms` is the unbounded `ancestors.cypher` at the same depths, interleaved.
 * - (e) node and relationship counts after the ingest, and the store size on disk when the
 *   Neo4j data folder sits beside the import folder (the local launcher's layout).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GraphClient } from '../src/graph/connection.js';
import { cypherText } from '../src/graph/cypher-library.js';
import { writeLineageRun } from '../src/graph/lineage-writer.js';
import { ancestors } from '../src/graph/queries/ancestors.js';
import { sources } from '../src/graph/queries/sources.js';
import { runReadQuery } from '../src/graph/read-query.js';
import { applySchema } from '../src/graph/schema.js';
import type { LineageRun } from '../src/lineage/lineage-run.js';
import { generateCreditRisk } from '../src/pipelines/credit-risk-generator.js';
import { clearGraph } from './support/clear-graph.js';
import { exportLineageCsv, lineageCsvFiles } from './support/lineage-csv-export.js';
import { loadLineageCsv } from './support/load-csv-reference.js';
import { runCreditRiskFile } from './support/run-credit-risk-file.js';
import { chainLineageRun } from './support/synthetic-lineage-run.js';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const r3 = (v: number): number => Math.round(v * 1e3) / 1e3;

async function graphSize(client: GraphClient): Promise<{ nodes: number; relationships: number }> {
  const session = client.driver.session({ database: client.database });
  try {
    const n = await session.run('MATCH (n) RETURN count(n) AS c');
    const r = await session.run('MATCH ()-[r]->() RETURN count(r) AS c');
    return { nodes: n.records[0].get('c'), relationships: r.records[0].get('c') };
  } finally {
    await session.close();
  }
}

function folderBytes(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(p) : fs.statSync(p).size;
  }
  return total;
}

/** The `graph` section of `npm run bench`. */
export async function runGraphBench(opts: {
  quick?: boolean;
  log: (s: string) => void;
  client: GraphClient;
  importDir: string;
}): Promise<Record<string, unknown>> {
  const { client, log } = opts;
  const quick = opts.quick ?? false;
  const applicants = quick ? 2000 : 20_000;
  const reps = quick ? 1 : 5;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-bench-graph-'));
  const prefix = `traceprop-bench-${process.pid}-`;
  try {
    // The credit-risk run (pipeline time is not part of the ingest time).
    const ds = await generateCreditRisk({ applicants, seed: 7, outDir: work });
    const pipeline = await runCreditRiskFile(work, { mode: 'row', runId: 'bench-credit-risk' });
    const run = pipeline.lineage as LineageRun;
    const sourceRows = run.files.reduce((n, f) => n + f.rows, 0);
    log(
      `graph: credit-risk ${applicants} applicants → ${run.samples.count} samples, ${sourceRows} source rows, ${run.provenance?.rowIds.length} provenance edges, ${run.ops.length} ops (${ds.totalRows} CSV rows)`,
    );
    const exported = exportLineageCsv(run, opts.importDir, prefix);
    log(`graph: LOAD CSV input written to ${opts.importDir} (${(exported.bytes / 1e6).toFixed(1)} MB)`);

    // (c) ingest vs LOAD CSV, interleaved, cleared before each.
    await clearGraph(client);
    await applySchema(client);
    const times = { ingest: [] as number[], loadCsv: [] as number[], loadCsvCreate: [] as number[] };
    const sizes: Record<string, { nodes: number; relationships: number }> = {};
    for (let rep = 0; rep <= reps; rep++) {
      const tag = rep === 0 ? 'warm-up' : `rep ${rep}/${reps}`;
      await clearGraph(client);
      const loadCsv = await loadLineageCsv(client, run, { prefix });
      sizes.loadCsv = await graphSize(client);
      await clearGraph(client);
      const loadCsvCreate = await loadLineageCsv(client, run, { prefix, sourceRows: 'create' });
      await clearGraph(client);
      const ingest = (await writeLineageRun(client, run)).seconds;
      sizes.ingest = await graphSize(client);
      log(
        `graph: ${tag}: ingest ${ingest.toFixed(2)} s, LOAD CSV ${loadCsv.toFixed(2)} s (CREATE variant ${loadCsvCreate.toFixed(2)} s)`,
      );
      if (rep > 0) {
        times.ingest.push(ingest);
        times.loadCsv.push(loadCsv);
        times.loadCsvCreate.push(loadCsvCreate);
      }
    }
    const ingestSeconds = median(times.ingest);
    const loadCsvSeconds = median(times.loadCsv);

    // (e) size of the graph the ingest left (before the query fixtures are added).
    const { nodes, relationships } = sizes.ingest;
    // The launcher keeps Neo4j's home in <dir>/data (its store in data/databases), beside <dir>/import.
    const home = path.join(path.dirname(opts.importDir), 'data');
    const dataDir =
      [path.join(home, 'data'), home].find((d) => fs.existsSync(path.join(d, 'databases'))) ?? home;
    const storeBytes = folderBytes(path.join(dataDir, 'databases', client.database));
    const txLogBytes = folderBytes(path.join(dataDir, 'transactions', client.database));

    // (d) query latencies: sources() on random samples, ancestors() on a chain of 1000 ops.
    await writeLineageRun(client, chainLineageRun('bench-chain', 1000));
    const n = quick ? 100 : 1000;
    const sampleIds = Array.from(
      { length: n + 100 },
      (_, i) => `${run.runId}:s:${(i * 7919) % run.samples.count}`,
    );
    // The floor: `RETURN 1` in a read transaction over the same Bolt path, interleaved with
    // sources() so that machine load weighs on both alike (every figure below includes it).
    const sourcesMs: number[] = [];
    const floorMs: number[] = [];
    for (let i = 0; i < n + 100; i++) {
      const t0 = performance.now();
      await runReadQuery(client, 'RETURN 1 AS one', {});
      const t1 = performance.now();
      await sources(client, sampleIds[i]);
      const t2 = performance.now();
      if (i >= 100) {
        floorMs.push(t1 - t0);
        sourcesMs.push(t2 - t1);
      }
    }
    const ancestorsP50Ms: Record<string, number> = {};
    const ancestorsP99Ms: Record<string, number> = {};
    const ancestorsUnboundedP50Ms: Record<string, number> = {};
    const unbounded = cypherText('queries', 'ancestors');
    for (const depth of [10, 100, 1000]) {
      const params = { opId: 'bench-chain:op:999', depth };
      const queryReps = quick ? 100 : 500;
      const ms: number[] = [];
      const unboundedMs: number[] = [];
      // Interleaved, so load on the machine weighs on both alike; the first 50 of each warm up.
      for (let i = 0; i < queryReps + 50; i++) {
        const t0 = performance.now();
        await runReadQuery(client, unbounded, params);
        const t1 = performance.now();
        await ancestors(client, params.opId, depth);
        const t2 = performance.now();
        if (i >= 50) {
          unboundedMs.push(t1 - t0);
          ms.push(t2 - t1);
        }
      }
      ancestorsP50Ms[depth] = r3(median(ms));
      ancestorsP99Ms[depth] = r3(quantile(ms, 0.99));
      ancestorsUnboundedP50Ms[depth] = r3(median(unboundedMs));
    }
    const result = {
      applicants,
      samples: run.samples.count,
      sourceRows,
      provenanceEdges: run.provenance?.rowIds.length ?? 0,
      ingestSeconds: r3(ingestSeconds),
      loadCsvSeconds: r3(loadCsvSeconds),
      ingestVsLoadCsv: r3(ingestSeconds / loadCsvSeconds),
      loadCsvCreateSeconds: r3(median(times.loadCsvCreate)),
      ingestVsLoadCsvCreate: r3(ingestSeconds / median(times.loadCsvCreate)),
      ingestRepetitions: times.ingest.map(r3),
      loadCsvRepetitions: times.loadCsv.map(r3),
      sameGraph:
        sizes.ingest.nodes === sizes.loadCsv.nodes &&
        sizes.ingest.relationships === sizes.loadCsv.relationships,
      boltFloorP50Ms: r3(median(floorMs)),
      sourcesP50Ms: r3(median(sourcesMs)),
      sourcesP99Ms: r3(quantile(sourcesMs, 0.99)),
      ancestorsP50Ms,
      ancestorsP99Ms,
      ancestorsUnboundedP50Ms,
      nodes,
      relationships,
      storeBytes: storeBytes || null,
      txLogBytes: txLogBytes || null,
    };
    log(`graph: ${JSON.stringify(result)}`);
    return result;
  } finally {
    for (const name of lineageCsvFiles) fs.rmSync(path.join(opts.importDir, prefix + name), { force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }
}
