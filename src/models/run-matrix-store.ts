import fs from 'node:fs/promises';
import path from 'node:path';
import { NotFoundError } from '../errors.js';
import { readSections, type SectionEntry, writeSections } from './binary-sections.js';
import type { RunMatrix } from './run-matrix.js';

/** What {@link saveRunMatrix} wrote. */
export interface RunMatrixArtifact {
  /** `<home>/runs/<runId>`. */
  dir: string;
  /** Content sha256 of `matrix.bin` (also in `matrix.json`). */
  sha256: string;
  bytes: number;
}

interface Manifest {
  format: 'traceprop.run-matrix/1';
  runId: string;
  rows: number;
  cols: number;
  featureNames: string[];
  sampleIds: string[];
  sampleKeys: string[];
  sourceFiles?: RunMatrix['sourceFiles'];
  /** Optional (older manifests lack it). */
  featureColumns?: RunMatrix['featureColumns'];
  recipe?: RunMatrix['recipe'];
  sha256: string;
  sections: SectionEntry[];
}

/** `<home>/runs/<runId>`: where a run's artifacts live. */
export function runDir(home: string, runId: string): string {
  return path.join(home, 'runs', encodeURIComponent(runId));
}

/**
 * Saves a run's model matrix under `<home>/runs/<runId>/`: `matrix.bin` (typed arrays: CSR
 * features, labels, split, provenance) and `matrix.json` (shapes, names, sample ids and keys,
 * the features' source columns when known,
 * the content sha256 of `matrix.bin`, and the pipeline's recipe when the matrix has one: what
 * recompute-mode unlearning needs to re-derive samples). Ingest calls this once per run.
 *
 * @example
 * await saveRunMatrix(config.home, runMatrixFromFeatures(result, sampleIds));
 */
export async function saveRunMatrix(home: string, matrix: RunMatrix): Promise<RunMatrixArtifact> {
  const dir = runDir(home, matrix.runId);
  await fs.mkdir(dir, { recursive: true });
  const x = matrix.features;
  const sections: Record<string, Float64Array | Uint32Array | Uint8Array> = {
    rowPtr: x.rowPtr,
    colIdx: x.colIdx,
    values: x.values,
    labels: matrix.labels,
    split: matrix.split,
  };
  if (matrix.provenance) {
    sections.provenanceOffsets = matrix.provenance.offsets;
    sections.provenanceRowIds = matrix.provenance.rowIds;
  }
  const written = await writeSections(path.join(dir, 'matrix.bin'), sections);
  const manifest: Manifest = {
    format: 'traceprop.run-matrix/1',
    runId: matrix.runId,
    rows: x.rows,
    cols: x.cols,
    featureNames: matrix.featureNames,
    sampleIds: matrix.sampleIds,
    sampleKeys: matrix.sampleKeys,
    ...(matrix.sourceFiles ? { sourceFiles: matrix.sourceFiles } : {}),
    ...(matrix.featureColumns ? { featureColumns: matrix.featureColumns } : {}),
    ...(matrix.recipe ? { recipe: matrix.recipe } : {}),
    sha256: written.sha256,
    sections: written.entries,
  };
  await fs.writeFile(path.join(dir, 'matrix.json'), JSON.stringify(manifest));
  return { dir, sha256: written.sha256, bytes: written.bytes };
}

/**
 * Loads a run's model matrix saved by {@link saveRunMatrix}, verifying its content hash.
 *
 * @throws NotFoundError `models.noRunMatrix` when the run has no saved matrix;
 *   InputError `models.corruptArtifact` when it does not match its hash.
 */
export async function loadRunMatrix(home: string, runId: string): Promise<RunMatrix & { sha256: string }> {
  const dir = runDir(home, runId);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await fs.readFile(path.join(dir, 'matrix.json'), 'utf8')) as Manifest;
  } catch (err) {
    throw new NotFoundError(
      'models.noRunMatrix',
      `run ${runId} has no saved model matrix in ${dir} (ingest it again with this TRACEPROP_HOME)`,
      { cause: err },
    );
  }
  const s = await readSections(path.join(dir, 'matrix.bin'), manifest.sections, manifest.sha256);
  const matrix: RunMatrix & { sha256: string } = {
    runId: manifest.runId,
    features: {
      rows: manifest.rows,
      cols: manifest.cols,
      rowPtr: s.rowPtr as Uint32Array,
      colIdx: s.colIdx as Uint32Array,
      values: s.values as Float64Array,
    },
    featureNames: manifest.featureNames,
    labels: s.labels as Float64Array,
    split: s.split as Uint8Array,
    sampleIds: manifest.sampleIds,
    sampleKeys: manifest.sampleKeys,
    sha256: manifest.sha256,
  };
  if (s.provenanceOffsets) {
    matrix.provenance = {
      offsets: s.provenanceOffsets as Uint32Array,
      rowIds: s.provenanceRowIds as Uint32Array,
    };
  }
  if (manifest.sourceFiles) matrix.sourceFiles = manifest.sourceFiles;
  if (manifest.featureColumns) matrix.featureColumns = manifest.featureColumns;
  if (manifest.recipe) matrix.recipe = manifest.recipe;
  return matrix;
}

/**
 * Blanks the business keys of `sampleIds` in a run's `matrix.json` (the keys are not covered by
 * the content hash of `matrix.bin`, which is left as it is): an erasure's dropped samples keep no
 * key on disk. Idempotent; written to a temporary file and renamed, so a crash leaves the old or
 * the new manifest, never half of one. Returns how many keys it blanked now.
 *
 * @throws NotFoundError `models.noRunMatrix` when the run has no saved matrix.
 */
export async function blankRunMatrixKeys(
  home: string,
  runId: string,
  sampleIds: ReadonlySet<string>,
): Promise<number> {
  const file = path.join(runDir(home, runId), 'matrix.json');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await fs.readFile(file, 'utf8')) as Manifest;
  } catch (err) {
    throw new NotFoundError(
      'models.noRunMatrix',
      `run ${runId} has no saved model matrix in ${path.dirname(file)}`,
      {
        cause: err,
      },
    );
  }
  let blanked = 0;
  manifest.sampleIds.forEach((id, i) => {
    if (sampleIds.has(id) && manifest.sampleKeys[i] !== '') {
      manifest.sampleKeys[i] = '';
      blanked++;
    }
  });
  if (blanked === 0) return 0;
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(manifest));
  await fs.rename(tmp, file);
  return blanked;
}
