import { measureAttributionColdStart } from './attribution-cold-start.js';

/**
 * The `scale` section (issue 15, DESIGN §7 `scale`). Measured so far: attribution in a fresh
 * process (`attributionColdSeconds`, target ≤ 0.1 s for 500 test points × 30k training rows),
 * with the warm figure beside it. The 1M-applicant ingest, query, attribution and erasure
 * figures are not measured yet (see docs/scaling.md).
 */
export async function runScaleBench(opts: {
  quick: boolean;
  log: (line: string) => void;
}): Promise<Record<string, unknown>> {
  const coldStart = await measureAttributionColdStart(opts);
  return {
    attributionColdSeconds: coldStart.coldSeconds,
    attributionWarmSeconds: coldStart.warmSeconds,
    coldStart,
  };
}
