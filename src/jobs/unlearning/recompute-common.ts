import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { csrFromDense } from '../../attribution/csr-matrix.js';
import type { ErasureSalt } from '../../erasure/erasure-salt.js';
import type { ErasedRows, PendingErasure } from '../../erasure/match-tombstones.js';
import type { Tombstone } from '../../erasure/tombstone.js';
import { InputError } from '../../errors.js';
import type { FeatureMatrix } from '../../lineage/feature-matrix.js';
import type { ReplacedRows } from '../../models/replaced-rows.js';
import type { RunMatrix } from '../../models/run-matrix.js';
import type { RecipeFile } from '../../pipeline-run/recipe-file.js';

/** What a re-derivation produced. */
export interface RecomputedSamples extends ReplacedRows {
  /** Source rows left out of the re-run, per table (this request's and earlier erasures). */
  excludedRows: Record<string, number>;
  /** Ops of the re-run (its `erased by <request ids>` filters record what was left out). */
  ops: { kind: string; name: string }[];
  /** Wall time of the re-run (hash check, parse, transforms), seconds. */
  seconds: number;
  /** Why nothing was re-run, when nothing was (see `recomputeSamples`). */
  skipped?: string;
}

/** The erased rows a re-derivation leaves out. */
export interface RecomputeErasures {
  /** Tombstones of earlier erasures of the run's files and tables. */
  tombstones: readonly Tombstone[];
  /** The running request's rows (its tombstones are written with its result). */
  pending: PendingErasure;
  /** The deployment's salt, to match key-hashed tombstones. */
  salt: ErasureSalt;
}

/** Rows to leave out and the requests that erased them, per table, from matched tombstones. */
export function exclusionsOf<K extends string>(
  erased: Partial<Record<K, ErasedRows>>,
): { rows: Partial<Record<K, number[]>>; by: Partial<Record<K, string[]>> } {
  const rows: Partial<Record<K, number[]>> = {};
  const by: Partial<Record<K, string[]>> = {};
  for (const t of Object.keys(erased) as K[]) {
    const e = erased[t];
    if (!e) continue;
    rows[t] = e.rows;
    by[t] = e.requestIds;
  }
  return { rows, by };
}

/**
 * The re-derived feature rows of `sorted` (run-matrix rows), matched by sample key to the
 * re-run's rows; a sample without a re-run row (its own row was erased) is left out (dropped).
 *
 * @throws InputError `models.badMatrix` when a re-derived feature is not finite.
 */
export function replacedRowsOf(
  matrix: RunMatrix,
  sorted: Uint32Array,
  rerun: { keys: readonly string[]; matrix: FeatureMatrix; featureNames: readonly string[] },
): ReplacedRows {
  const rowOfKey = new Map<string, number>();
  for (let j = 0; j < rerun.keys.length; j++) rowOfKey.set(rerun.keys[j], j);
  const d = rerun.matrix.cols;
  const kept: number[] = [];
  const dense: number[] = [];
  for (const s of sorted) {
    const j = rowOfKey.get(matrix.sampleKeys[s]);
    if (j === undefined) continue;
    kept.push(s);
    for (let c = 0; c < d; c++) {
      const v = rerun.matrix.data[j * d + c];
      if (!Number.isFinite(v)) {
        throw new InputError(
          'models.badMatrix',
          `re-derived feature ${rerun.featureNames[c]} of sample ${matrix.sampleKeys[s]} is ${v}, expected a finite number`,
        );
      }
      dense.push(v);
    }
  }
  return { samples: Uint32Array.from(kept), x: csrFromDense(dense, kept.length, d) };
}

/** The original split of each sample, by key. */
export function splitByKeyOf(matrix: RunMatrix): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i < matrix.sampleKeys.length; i++) out.set(matrix.sampleKeys[i], matrix.split[i]);
  return out;
}

/** Content sha256 of a recipe file as it is now, or null when it cannot be read. */
export async function sha256OfFile(file: RecipeFile): Promise<string | null> {
  try {
    const hash = createHash('sha256');
    for await (const chunk of fs.createReadStream(file.path)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  } catch {
    return null;
  }
}

/**
 * Refuses a re-derivation whose input file changed since ingest (`unlearning.sourceChanged`):
 * `actual` is its content sha256 now (null: unreadable).
 */
export function assertUnchanged(f: RecipeFile, actual: string | null): void {
  if (actual === f.sha256) return;
  throw new InputError(
    'unlearning.sourceChanged',
    actual === null
      ? `${f.path} (the run's ${f.table} file) cannot be read any more, so its samples cannot be re-derived; restore the file (content sha256 ${f.sha256}) or use --mode drop`
      : `${f.path} (the run's ${f.table} file) changed since ingest: its content sha256 is ${actual}, expected ${f.sha256}; restore it, or use --mode drop`,
  );
}

/** A run matrix's source file as its provenance names it (`globalOffset` … + `rows`). */
type MatrixSourceFile = NonNullable<RunMatrix['sourceFiles']>[number];

/**
 * The file and 0-based data row of a provenance row id (global over the run's files), or
 * undefined when no file holds it.
 */
export function sourceRowOf(
  files: readonly MatrixSourceFile[],
  globalRow: number,
): { file: MatrixSourceFile; row: number } | undefined {
  const file = files.find((f) => globalRow >= f.globalOffset && globalRow < f.globalOffset + f.rows);
  return file ? { file, row: globalRow - file.globalOffset } : undefined;
}
