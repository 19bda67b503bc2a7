import { defaults } from '../src/defaults.js';
import { measureAttributionColdStart } from './attribution-cold-start.js';
import { measureScaleSize, type ScaleSize } from './scale-ingest.js';

/**
 * Sizes measured: TRACEPROP_BENCH_SCALE_SIZES (comma-separated applicants; `none` for the cold
 * start only), else these.
 */
function scaleSizes(quick: boolean): number[] {
  const given = process.env.TRACEPROP_BENCH_SCALE_SIZES;
  if (given === 'none') return [];
  if (given) return given.split(',').map((s) => Number(s.trim()));
  return quick ? [2_000, 20_000] : [20_000, 200_000, 1_000_000];
}

/**
 * The `scale` section (issue 15, DESIGN §7 `scale`): per size (20k, 200k, 1M applicants, or
 * TRACEPROP_BENCH_SCALE_SIZES), generate, ingest in row mode and query in fresh processes against a
 * private local Neo4j ({@link measureScaleSize}; its heap, page cache and checkpoint volume from
 * TRACEPROP_NEO4J_HEAP / _PAGECACHE / _CHECKPOINT_VOLUME, recorded); and attribution in a fresh
 * process (`attributionColdSeconds`, with the warm figure beside it); per size, unless
 * TRACEPROP_BENCH_SCALE_STORY=off, train, attribution of 10,000 predictions, `trace` and the
 * erasure of one applicant (bench/scale-story.ts; `attribution10kSeconds`, `erasure1MSeconds` of
 * the largest size). Jobs per second with 2 workers are the queue section's.
 */
export async function runScaleBench(opts: {
  quick: boolean;
  log: (line: string) => void;
}): Promise<Record<string, unknown>> {
  const coldStart = await measureAttributionColdStart(opts);
  const settings = {
    heap: process.env.TRACEPROP_NEO4J_HEAP || defaults.localNeo4jHeap,
    pagecache: process.env.TRACEPROP_NEO4J_PAGECACHE || defaults.localNeo4jPagecache,
    checkpointVolume: process.env.TRACEPROP_NEO4J_CHECKPOINT_VOLUME || defaults.localNeo4jCheckpointVolume,
  };
  const sizes: ScaleSize[] = [];
  for (const applicants of scaleSizes(opts.quick))
    sizes.push(await measureScaleSize(applicants, opts.log, settings));
  if (sizes.length === 0)
    return {
      attributionColdSeconds: coldStart.coldSeconds,
      attributionWarmSeconds: coldStart.warmSeconds,
      coldStart,
    };
  const at = (n: number) => sizes.find((s) => s.applicants === n);
  const largest = sizes[sizes.length - 1];
  const smallest = sizes[0];
  const ratio = (a: number | undefined, b: number | undefined) =>
    a !== undefined && b !== undefined && b > 0 ? Math.round((a / b) * 1000) / 1000 : undefined;
  return {
    attributionColdSeconds: coldStart.coldSeconds,
    attributionWarmSeconds: coldStart.warmSeconds,
    coldStart,
    ...(at(1_000_000)
      ? { ingest1MSeconds: at(1_000_000)?.ingestSeconds, ingestPeakRssGiB: at(1_000_000)?.ingestPeakRssGiB }
      : {}),
    throughputRatio1Mvs200k: ratio(at(1_000_000)?.elementsPerSecond, at(200_000)?.elementsPerSecond),
    [`p50RatioAt${largest.applicants}vs${smallest.applicants}`]: {
      sources: ratio(largest.sourcesP50Ms, smallest.sourcesP50Ms),
      trace: ratio(largest.story?.traceP50Ms, smallest.story?.traceP50Ms),
      descendants: ratio(largest.descendantsP50Ms, smallest.descendantsP50Ms),
    },
    ...(largest.story
      ? {
          ...(largest.story.predictionsExplained === 10_000
            ? { attribution10kSeconds: largest.story.attributionSeconds }
            : {
                attributionSeconds: largest.story.attributionSeconds,
                attributionPredictions: largest.story.predictionsExplained,
              }),
          attributionSecondsPerPrediction: largest.story.secondsPerPrediction,
          [`erasure${largest.applicants === 1_000_000 ? '1M' : largest.applicants}Seconds`]:
            largest.story.erasureSeconds,
        }
      : {}),
    diskGiB: { store: largest.storeGiB, txLogs: largest.txLogsGiB, txLogsPeak: largest.txLogsPeakGiB },
    sizes,
  };
}
