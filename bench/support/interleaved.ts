/**
 * Side-by-side timing for the bench sections (DESIGN §7): variants run round-robin, the order
 * rotated each round so that none always runs first, warm-up rounds dropped; callers take medians.
 */

/** The median of `xs` (the mean of the middle two for an even count). */
export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Samples per variant: wall-clock ms, and in `cpu` process CPU ms (user + system). */
export type Timings = Record<string, number[]> & { cpu: Record<string, number[]> };

/**
 * Times variants interleaved (round-robin, order rotated each round). Returns wall-clock ms
 * samples per variant and, in `cpu`, process CPU ms (user + system; less sensitive to other
 * processes competing for the cores).
 *
 * @example
 * const t = interleaved({ none: () => run('none'), row: () => run('row') }, 3, 21);
 * median(t.row) / median(t.none); // the tracking overhead
 */
export function interleaved(variants: Record<string, () => void>, warmup: number, reps: number): Timings {
  const names = Object.keys(variants);
  const wall: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const cpu: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < warmup + reps; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(r + k) % names.length];
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      variants[name]();
      const dt = performance.now() - t0;
      const c = process.cpuUsage(c0);
      if (r >= warmup) {
        wall[name].push(dt);
        cpu[name].push((c.user + c.system) / 1000);
      }
    }
  }
  return Object.assign(wall, { cpu });
}

/**
 * {@link interleaved} for async variants (one at a time, never overlapping). `cpu` is this
 * process's CPU over each call (the libuv threads included; a child process's CPU is not).
 */
export async function interleavedAsync(
  variants: Record<string, () => Promise<void>>,
  warmup: number,
  reps: number,
): Promise<Timings> {
  const names = Object.keys(variants);
  const wall: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const cpu: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < warmup + reps; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(r + k) % names.length];
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await variants[name]();
      const dt = performance.now() - t0;
      const c = process.cpuUsage(c0);
      if (r >= warmup) {
        wall[name].push(dt);
        cpu[name].push((c.user + c.system) / 1000);
      }
    }
  }
  return Object.assign(wall, { cpu });
}
