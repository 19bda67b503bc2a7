import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { cypherText } from '../src/graph/cypher-library.js';
import { descendants } from '../src/graph/queries/descendants.js';
import { sources } from '../src/graph/queries/sources.js';
import { runReadQuery } from '../src/graph/read-query.js';
import { applySchema } from '../src/graph/schema.js';
import { clientFor } from '../src/services/ensure-services.js';
import { localNeo4jPaths, startLocalNeo4j, stopLocalNeo4j } from '../src/services/local-neo4j.js';
import { freePort } from '../src/util/net.js';
import { SeededRandom } from '../src/util/seeded-random.js';
import { measureScaleStory, type ScaleStory } from './scale-story.js';
import { median } from './support/interleaved.js';
import { folderBytes, runWatched } from './support/process-watch.js';

const cli = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const gib = (bytes: number) => Math.round((bytes / 2 ** 30) * 1000) / 1000;
const r2 = (v: number) => Math.round(v * 100) / 100;

/** The settings one size ran with (environment, or the defaults of `src/defaults.ts`). */
interface ScaleSettings {
  heap: string;
  pagecache: string;
  checkpointVolume: string;
}

/** What one size measured. */
export interface ScaleSize {
  applicants: number;
  generateSeconds: number;
  generatePeakRssGiB: number;
  ingestSeconds: number;
  ingestPeakRssGiB: number;
  nodes: number;
  relationships: number;
  elementsPerSecond: number;
  storeGiB: number;
  txLogsGiB: number;
  txLogsPeakGiB: number;
  sourcesP50Ms: number;
  descendantsP50Ms: number;
  settings: ScaleSettings;
  /** Train, attribute 10,000 predictions, trace and erase one applicant ({@link measureScaleStory}). */
  story?: ScaleStory;
}

/**
 * One size of the scale bench, each step a fresh process as a user runs it: `traceprop generate
 * credit-risk --applicants N` (streamed), a private local Neo4j started for this size only (so
 * its store and logs are this size's), then `traceprop ingest credit-risk --mode row` against it,
 * its peak memory and the transaction logs' size sampled while it runs; then node and
 * relationship counts, the store and logs on disk, and the p50 of `sources` (random samples) and
 * `descendants` (random source rows) over 50 calls each after 5 warm-ups; the store and logs on
 * disk after a clean shutdown; then, unless TRACEPROP_BENCH_SCALE_STORY=off, Neo4j started again
 * for the rest of the story ({@link measureScaleStory}: train, attribute 10,000 predictions,
 * trace, erase one applicant). Neo4j is stopped and the folder removed after.
 */
export async function measureScaleSize(
  applicants: number,
  log: (line: string) => void,
  settings: ScaleSettings,
): Promise<ScaleSize> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), `traceprop-scale-${applicants}-`));
  const neo4jDir = path.join(home, 'neo4j');
  try {
    const data = path.join(home, 'data');
    log(`scale ${applicants}: generating`);
    const generated = await runWatched(process.execPath, [
      cli,
      'generate',
      'credit-risk',
      '--applicants',
      String(applicants),
      '--seed',
      '1',
      '--out',
      data,
      '--json',
    ]);
    if (generated.code !== 0) throw new Error(`generate exited ${generated.code}: ${generated.stderr}`);
    const port = await freePort();
    const config = loadConfig();
    const startNeo4j = () =>
      startLocalNeo4j(
        {
          dir: neo4jDir,
          port,
          heap: settings.heap,
          pagecache: settings.pagecache,
          checkpointVolume: settings.checkpointVolume,
          password: '',
          javaHome: config.javaHome,
        },
        log,
      );
    const started = await startNeo4j();
    const client = clientFor({ ...config, neo4jPassword: '' }, started.uri);
    try {
      await applySchema(client);
      const dataDir = localNeo4jPaths(neo4jDir).dataDir;
      const txLogs = () => folderBytes(path.join(dataDir, 'data', 'transactions'));
      log(`scale ${applicants}: ingesting (row mode, fresh process)`);
      const ingested = await runWatched(
        process.execPath,
        [
          cli,
          'ingest',
          'credit-risk',
          '--application',
          path.join(data, 'application.csv'),
          '--bureau',
          path.join(data, 'bureau.csv'),
          '--previous',
          path.join(data, 'previous_application.csv'),
          '--mode',
          'row',
          '--json',
        ],
        {
          env: { ...process.env, NEO4J_URI: started.uri, NEO4J_PASSWORD: '', TRACEPROP_HOME: home },
          sample: txLogs,
        },
      );
      if (ingested.code !== 0)
        throw new Error(`ingest exited ${ingested.code}: ${ingested.stderr.slice(-2000)}`);
      const runId = (JSON.parse(ingested.stdout) as { runId: string }).runId;
      const [counts] = await runReadQuery(client, cypherText('bench', 'graph-element-counts'));
      const nodes = Number(counts.nodes);
      const relationships = Number(counts.relationships);
      const rng = new SeededRandom(applicants);
      const sampleIds = Array.from(
        { length: 55 },
        () => `${runId}:s:${Math.floor(rng.next() * applicants * 0.9)}`,
      );
      const [file] = await runReadQuery(client, cypherText('bench', 'bureau-file'));
      const rowIds = Array.from(
        { length: 55 },
        () => `${file.id}:${Math.floor(rng.next() * Number(file.rows))}`,
      );
      const p50 = async (ids: string[], call: (id: string) => Promise<unknown>) => {
        const times: number[] = [];
        for (const [k, id] of ids.entries()) {
          const t0 = performance.now();
          await call(id);
          if (k >= 5) times.push(performance.now() - t0);
        }
        return median(times);
      };
      const sourcesP50Ms = await p50(sampleIds, (id) => sources(client, id));
      const descendantsP50Ms = await p50(rowIds, (id) => descendants(client, id));
      const result: ScaleSize = {
        applicants,
        generateSeconds: r2(generated.seconds),
        generatePeakRssGiB: gib(generated.peakRssBytes),
        ingestSeconds: r2(ingested.seconds),
        ingestPeakRssGiB: gib(ingested.peakRssBytes),
        nodes,
        relationships,
        elementsPerSecond: Math.round((nodes + relationships) / ingested.seconds),
        storeGiB: 0,
        txLogsGiB: 0,
        txLogsPeakGiB: gib(ingested.peakSample),
        sourcesP50Ms: r2(sourcesP50Ms),
        descendantsP50Ms: r2(descendantsP50Ms),
        settings,
      };
      // The store files are written at checkpoints (Community has no db.checkpoint()): a clean
      // shutdown makes one, so the store and the logs are measured after it.
      await client.driver.close();
      await stopLocalNeo4j(neo4jDir);
      result.storeGiB = gib(folderBytes(path.join(dataDir, 'data', 'databases')));
      result.txLogsGiB = gib(txLogs());
      if (process.env.TRACEPROP_BENCH_SCALE_STORY !== 'off') {
        const again = await startNeo4j();
        const storyClient = clientFor({ ...config, neo4jPassword: '' }, again.uri);
        try {
          result.story = await measureScaleStory({
            client: storyClient,
            env: {
              ...process.env,
              NEO4J_URI: again.uri,
              NEO4J_PASSWORD: '',
              TRACEPROP_HOME: home,
              TRACEPROP_QUEUE_PREFIX: `bench-scale-${applicants}-${process.pid}`,
            },
            runId,
            applicants,
            log,
          });
        } finally {
          await storyClient.driver.close();
        }
      }
      log(
        `scale ${applicants}: ingest ${result.ingestSeconds} s (${result.elementsPerSecond} elements/s, peak RSS ${result.ingestPeakRssGiB} GiB), store ${result.storeGiB} GiB, tx logs ${result.txLogsGiB} GiB (peak ${result.txLogsPeakGiB}), sources p50 ${result.sourcesP50Ms} ms, descendants p50 ${result.descendantsP50Ms} ms`,
      );
      return result;
    } finally {
      await client.driver.close();
      await stopLocalNeo4j(neo4jDir);
    }
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}
