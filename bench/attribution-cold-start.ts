import { spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { median } from './support/interleaved.js';

/** The compiled CLI (dist/src/cli/main.js, from dist/bench). */
const cli = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

interface LdsTimes {
  attributionSeconds: number;
  attributionWarmSeconds: number;
  precomputeSeconds: number;
}

/** One `traceprop lds --dataset adult --method ns --json` in a new node process. */
async function ldsInFreshProcess(subsets: number, precompute: boolean): Promise<LdsTimes> {
  const args = [cli, 'lds', '--dataset', 'adult', '--method', 'ns', '--subsets', String(subsets), '--json'];
  if (!precompute) args.push('--no-precompute');
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d;
      });
      child.stderr.on('data', (d: Buffer) => {
        err += d;
      });
      child.on('error', reject);
      child.on('close', (c) => resolve({ code: c, stdout: out, stderr: err }));
    },
  );
  if (code !== 0) throw new Error(`traceprop lds exited ${code}: ${stderr.trim()}`);
  return JSON.parse(stdout) as LdsTimes;
}

const r4 = (v: number): number => Math.round(v * 1e4) / 1e4;

/**
 * Attribution of 500 Adult test points × 30,162 training rows (`ns`) in fresh processes (issue
 * 15, cold start): each run is a new `traceprop lds` process whose first attribution call is
 * timed (`cold`), then the same call again (`warm`). With the per-model precomputation kept and
 * the score threads warmed during preparation, against `--no-precompute` (the first call pays
 * both), alternating the two, medians over `runs`.
 */
export async function measureAttributionColdStart(opts: {
  quick: boolean;
  log: (line: string) => void;
}): Promise<Record<string, unknown>> {
  const runs = opts.quick ? 2 : 7;
  const subsets = 10;
  const kept: LdsTimes[] = [];
  const oneOff: LdsTimes[] = [];
  const loadStart = os.loadavg()[0];
  for (let r = 0; r < runs; r++) {
    kept.push(await ldsInFreshProcess(subsets, true));
    oneOff.push(await ldsInFreshProcess(subsets, false));
  }
  const m = (xs: LdsTimes[], k: keyof LdsTimes) => median(xs.map((x) => x[k]));
  const result = {
    what: 'ns, 500 Adult test points × 30,162 training rows; each run a fresh `traceprop lds` process, its first attribution call (cold) and the same call again (warm)',
    runs,
    coldSeconds: r4(m(kept, 'attributionSeconds')),
    warmSeconds: r4(m(kept, 'attributionWarmSeconds')),
    precomputeSeconds: r4(m(kept, 'precomputeSeconds')),
    coldWithoutPrecomputationSeconds: r4(m(oneOff, 'attributionSeconds')),
    warmWithoutPrecomputationSeconds: r4(m(oneOff, 'attributionWarmSeconds')),
    coldVsWithoutPrecomputation: r4(m(kept, 'attributionSeconds') / m(oneOff, 'attributionSeconds')),
    loadAverage: { start: r4(loadStart), end: r4(os.loadavg()[0]) },
  };
  opts.log(
    `  cold start (fresh processes, medians of ${runs}): first call ${result.coldSeconds.toFixed(3)} s, warm ${result.warmSeconds.toFixed(3)} s, precomputed with the model in ${result.precomputeSeconds.toFixed(3)} s; without precomputation ${result.coldWithoutPrecomputationSeconds.toFixed(3)} s cold`,
  );
  return result;
}
