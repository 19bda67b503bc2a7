import type { LineageRun, LineageSourceFile } from '../lineage/lineage-run.js';

/**
 * The distinct SourceFiles of a run (one per content id: the same bytes loaded as two tables
 * share their SourceFile and SourceRows) and a map from global source-row ids to
 * `(file slot, row)`.
 */
export interface FileSlots {
  /** Distinct files, in first-seen order; a slot is an index into this list. */
  files: LineageSourceFile[];
  /** SourceFile ids by slot. */
  ids: string[];
  /** True when two entries of `run.files` share a content id (provenance then needs de-duplication). */
  shared: boolean;
  /** Writes the slot and row of global source-row id `g` into `out` (`out[0]` slot, `out[1]` row). */
  locate(g: number, out: Float64Array): void;
}

/** Builds the {@link FileSlots} of a run. */
export function fileSlots(run: LineageRun): FileSlots {
  const files: LineageSourceFile[] = [];
  const slotOf = new Map<string, number>();
  for (const file of run.files) {
    if (!slotOf.has(file.id)) {
      slotOf.set(file.id, files.length);
      files.push(file);
    }
  }
  const ranges = run.files
    .map((f) => ({ lo: f.globalOffset, hi: f.globalOffset + f.rows, slot: slotOf.get(f.id) as number }))
    .sort((a, b) => a.lo - b.lo);
  const lows = Float64Array.from(ranges, (r) => r.lo);
  return {
    files,
    ids: files.map((f) => f.id),
    shared: files.length !== run.files.length,
    locate(g, out) {
      // Last range whose low end is <= g (ranges do not overlap).
      let lo = 0;
      let hi = lows.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (lows[mid] <= g) lo = mid;
        else hi = mid - 1;
      }
      const range = ranges[lo];
      out[0] = range.slot;
      out[1] = g - range.lo;
    },
  };
}

/** One transaction's worth of SourceRows of one file: rows `start .. start + count - 1`. */
export interface SourceRowBatch {
  fileId: string;
  start: number;
  count: number;
  /** Business keys of those rows, or null when the table has none. */
  keys: string[] | null;
  /** Subject ids of those rows (null entries: none), or null when the table has no subject. */
  subjects: (string | null)[] | null;
}

/** Splits a file's rows into batches of at most `batchSize` rows. */
export function* sourceRowBatches(file: LineageSourceFile, batchSize: number): Generator<SourceRowBatch> {
  for (let start = 0; start < file.rows; start += batchSize) {
    const count = Math.min(batchSize, file.rows - start);
    yield {
      fileId: file.id,
      start,
      count,
      keys: file.keys ? file.keys.slice(start, start + count) : null,
      subjects: file.subjects ? file.subjects.slice(start, start + count) : null,
    };
  }
}

/** One transaction's worth of Samples (positions `start .. start + count - 1`) as parallel plain arrays. */
export interface SampleBatch {
  start: number;
  count: number;
  index: number[];
  split: string[];
  keys: string[];
  labels: Array<number | null>;
}

/** Splits a run's samples into batches of at most `batchSize`. */
export function* sampleBatches(run: LineageRun, batchSize: number): Generator<SampleBatch> {
  const { samples } = run;
  for (let start = 0; start < samples.count; start += batchSize) {
    const count = Math.min(batchSize, samples.count - start);
    const batch: SampleBatch = {
      start,
      count,
      index: new Array(count),
      split: new Array(count),
      keys: new Array(count),
      labels: new Array(count),
    };
    for (let i = 0; i < count; i++) {
      const s = start + i;
      batch.index[i] = samples.index[s];
      batch.split[i] = samples.split[s] === 1 ? 'test' : 'train';
      batch.keys[i] = samples.keys[s];
      const label = samples.labels[s];
      batch.labels[i] = Number.isNaN(label) ? null : label;
    }
    yield batch;
  }
}

/**
 * Visits a run's row provenance as `(sample, file slot, row)` triples, in sample order,
 * dropping repeats when two file entries share a content id. `visit` returns nothing.
 */
export function forEachProvenanceEdge(
  run: LineageRun,
  slots: FileSlots,
  visit: (sample: number, slot: number, row: number) => void,
): void {
  const prov = run.mode === 'row' ? run.provenance : undefined;
  if (!prov) return;
  const loc = new Float64Array(2);
  for (let s = 0; s < run.samples.count; s++) {
    const seen = slots.shared ? new Set<number>() : undefined;
    for (let k = prov.offsets[s]; k < prov.offsets[s + 1]; k++) {
      slots.locate(prov.rowIds[k], loc);
      if (seen) {
        const key = loc[0] * 2 ** 32 + loc[1];
        if (seen.has(key)) continue;
        seen.add(key);
      }
      visit(s, loc[0], loc[1]);
    }
  }
}

/** One transaction's worth of DERIVED_FROM edges, as parallel lists of internal node ids. */
export interface DerivedFromBatch {
  samples: number[];
  rows: number[];
}

/**
 * Splits a run's row provenance into batches of at most `batchSize` edges, translated to the
 * internal node ids of its Samples (`sampleNodeIds[position]`) and SourceRows
 * (`rowNodeIds[slot][row]`).
 */
export function* derivedFromBatches(
  run: LineageRun,
  slots: FileSlots,
  sampleNodeIds: Float64Array,
  rowNodeIds: Float64Array[],
  batchSize: number,
): Generator<DerivedFromBatch> {
  const prov = run.mode === 'row' ? run.provenance : undefined;
  if (!prov) return;
  let batch: DerivedFromBatch = { samples: [], rows: [] };
  const loc = new Float64Array(2);
  for (let s = 0; s < run.samples.count; s++) {
    const seen = slots.shared ? new Set<number>() : undefined;
    for (let k = prov.offsets[s]; k < prov.offsets[s + 1]; k++) {
      slots.locate(prov.rowIds[k], loc);
      if (seen) {
        const key = loc[0] * 2 ** 32 + loc[1];
        if (seen.has(key)) continue;
        seen.add(key);
      }
      batch.samples.push(sampleNodeIds[s]);
      batch.rows.push(rowNodeIds[loc[0]][loc[1]]);
      if (batch.samples.length >= batchSize) {
        yield batch;
        batch = { samples: [], rows: [] };
      }
    }
  }
  if (batch.samples.length > 0) yield batch;
}

/** Number of provenance edges a run will write (after de-duplication of shared files). */
export function provenanceEdgeCount(run: LineageRun, slots: FileSlots): number {
  if (run.mode !== 'row' || !run.provenance) return 0;
  if (!slots.shared) return run.provenance.rowIds.length;
  let total = 0;
  forEachProvenanceEdge(run, slots, () => {
    total++;
  });
  return total;
}

/**
 * What the run's provenance links per distinct file (by slot): `rowsUsed`, the file's distinct
 * rows that at least one sample derives from, and `samples`, the samples that derive from at
 * least one of its rows. Both are fixed once the run is written (erasures keep DERIVED_FROM
 * edges), so the ingest records them on the Run and the workbench does not count them again.
 */
export function provenanceFileCounts(
  run: LineageRun,
  slots: FileSlots,
): { rowsUsed: number[]; samples: number[] } {
  const rowsUsed = slots.files.map(() => 0);
  const samples = slots.files.map(() => 0);
  const used = slots.files.map((f) => new Uint8Array(f.rows));
  const lastSample = new Int32Array(slots.files.length).fill(-1);
  forEachProvenanceEdge(run, slots, (sample, slot, row) => {
    if (!used[slot][row]) {
      used[slot][row] = 1;
      rowsUsed[slot]++;
    }
    if (lastSample[slot] !== sample) {
      lastSample[slot] = sample;
      samples[slot]++;
    }
  });
  return { rowsUsed, samples };
}

/** Samples per split of a run (0 = train, 1 = test). */
export function splitCounts(run: LineageRun): { trainSamples: number; testSamples: number } {
  let test = 0;
  for (let s = 0; s < run.samples.count; s++) if (run.samples.split[s] === 1) test++;
  return { trainSamples: run.samples.count - test, testSamples: test };
}
