/**
 * Seconds spent per phase of a job, from its progress stages: each stage's time runs from its
 * mark to the next mark, summed when a stage occurs more than once.
 */
export class PhaseClock {
  private readonly marks: { stage: string; at: number }[] = [];

  /** Marks the start of `stage` (and the end of the stage before it). */
  mark(stage: string): void {
    this.marks.push({ stage, at: performance.now() });
  }

  /** Seconds per stage, rounded to the millisecond (the last mark only ends the one before it). */
  seconds(): Record<string, number> {
    const out: Record<string, number> = {};
    for (let i = 0; i + 1 < this.marks.length; i++) {
      const { stage, at } = this.marks[i];
      out[stage] = (out[stage] ?? 0) + (this.marks[i + 1].at - at) / 1000;
    }
    for (const k of Object.keys(out)) out[k] = Math.round(out[k] * 1000) / 1000;
    return out;
  }
}

/** Sums per-phase seconds (the lines of one request). */
export function sumPhaseSeconds(parts: (Record<string, number> | undefined)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of parts)
    for (const [k, v] of Object.entries(p ?? {})) out[k] = Math.round(((out[k] ?? 0) + v) * 1000) / 1000;
  return out;
}
