import fssync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { type ArtifactHome, artifactDir, sharedStore } from '../artifacts/artifact-home.js';
import { artifactKeys } from '../artifacts/artifact-keys.js';
import { downloadVerified, uploadOnce } from '../artifacts/verified-download.js';
import { hasCode, NotFoundError } from '../errors.js';
import { readSections, type SectionData, type SectionEntry, writeSections } from './binary-sections.js';
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
  /** Optional: the groups of the declared protected attributes (a scrub blanks dropped samples'). */
  protectedGroups?: RunMatrix['protectedGroups'];
  sha256: string;
  sections: SectionEntry[];
  /** The binary file in the run's folder (absent: `matrix.bin`); a scrub writes a new one. */
  binFile?: string;
  /** Rows erasures scrubbed, ascending. */
  scrubbedRows?: number[];
  /** Every scrub, oldest first: what the file's hash was before it (the ingest's is the first). */
  scrubs?: RunMatrixScrub[];
  /** Aggregates of the matrix as ingested, saved by the first scrub (see `RunMatrix.fitBaseline`). */
  fitBaseline?: unknown;
}

/** One scrub of a run matrix, kept in its manifest for the record. */
interface RunMatrixScrub {
  /** The erasure request the scrub completed. */
  requestId: string;
  at: string;
  /** Rows scrubbed by this scrub. */
  rows: number;
  sha256Before: string;
  sha256After: string;
}

/** A run matrix as {@link loadRunMatrix} returns it: with the content hash it was verified against. */
export type LoadedRunMatrix = RunMatrix & { sha256: string };

/** `<home>/runs/<runId>`: where a run's artifacts live (cached, when a shared store holds them). */
export function runDir(home: ArtifactHome, runId: string): string {
  return path.join(artifactDir(home), 'runs', encodeURIComponent(runId));
}

/**
 * Saves a run's model matrix under `<home>/runs/<runId>/`: `matrix.bin` (typed arrays: CSR
 * features, labels, split, provenance) and `matrix.json` (shapes, names, sample ids and keys,
 * the features' source columns when known,
 * the content sha256 of `matrix.bin`, and the pipeline's recipe when the matrix has one: what
 * recompute-mode unlearning needs to re-derive samples). Ingest calls this once per run. With a
 * shared store (TRACEPROP_ARTIFACTS), the binary is then uploaded under its sha256 and the
 * manifest after it, so a reader never finds a manifest whose binary is missing.
 *
 * @example
 * await saveRunMatrix(config.home, runMatrixFromFeatures(result, sampleIds));
 */
export async function saveRunMatrix(home: ArtifactHome, matrix: RunMatrix): Promise<RunMatrixArtifact> {
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
  await removeStaleBinaries(dir, 'matrix.bin');
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
    ...(matrix.protectedGroups ? { protectedGroups: matrix.protectedGroups } : {}),
    sha256: written.sha256,
    sections: written.entries,
  };
  // The manifest holds the caller's arrays: the next read parses the file.
  await writeLocalManifest(path.join(dir, 'matrix.json'), manifest, false);
  await publish(home, manifest);
  return { dir, sha256: written.sha256, bytes: written.bytes };
}

/**
 * Loads a run's model matrix saved by {@link saveRunMatrix}, verifying its content hash.
 * `reuse`: a matrix loaded earlier, returned as it is when the saved one still has its content
 * hash (no second read of the binary).
 *
 * @throws NotFoundError `models.noRunMatrix` when the run has no saved matrix;
 *   InputError `models.corruptArtifact` when it does not match its hash.
 */
export async function loadRunMatrix(
  home: ArtifactHome,
  runId: string,
  options: { reuse?: LoadedRunMatrix } = {},
): Promise<LoadedRunMatrix> {
  const dir = runDir(home, runId);
  const manifest = await readManifest(home, runId);
  const { reuse } = options;
  // The same content as a matrix already loaded (and verified): that one, with the manifest's
  // business keys (an erasure may blank keys without changing the binary).
  if (reuse && reuse.runId === manifest.runId && reuse.sha256 === manifest.sha256)
    return { ...reuse, sampleKeys: manifest.sampleKeys, protectedGroups: manifest.protectedGroups };
  await fetchBinary(home, manifest);
  const s = await readSections(path.join(dir, binFileOf(manifest)), manifest.sections, manifest.sha256);
  const matrix: LoadedRunMatrix = {
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
  if (manifest.protectedGroups) matrix.protectedGroups = manifest.protectedGroups;
  if (manifest.scrubbedRows?.length) matrix.scrubbedRows = new Set(manifest.scrubbedRows);
  if (manifest.fitBaseline !== undefined) matrix.fitBaseline = manifest.fitBaseline;
  return matrix;
}

/** Whether a run has artifacts: its folder under the home, or (with a shared store) its manifest there. */
export async function runArtifactsExist(home: ArtifactHome, runId: string): Promise<boolean> {
  if (fssync.existsSync(runDir(home, runId))) return true;
  const shared = sharedStore(home);
  return shared ? shared.exists(artifactKeys.runManifest(runId)) : false;
}

/**
 * Deletes every artifact of a run: its folder under the home and, with a shared store, its
 * objects there (the manifest first, so no reader finds a manifest without its binary).
 * For an ingest that failed after saving its matrix.
 */
export async function removeRunArtifacts(home: ArtifactHome, runId: string): Promise<void> {
  await fs.rm(runDir(home, runId), { recursive: true, force: true });
  const shared = sharedStore(home);
  if (!shared) return;
  await shared.delete(artifactKeys.runManifest(runId));
  for (const key of await shared.list(artifactKeys.runPrefix(runId))) await shared.delete(key);
}

/** The run matrix's binary file name. */
function binFileOf(manifest: Manifest): string {
  return manifest.binFile ?? 'matrix.bin';
}

/**
 * The run's manifest. With a shared store, the store's is the one in force (another host may
 * have scrubbed the matrix): it is read from there and cached, and the local copy is used only
 * when the store has none (a run saved before the store was configured).
 */
async function readManifest(home: ArtifactHome, runId: string): Promise<Manifest> {
  const dir = runDir(home, runId);
  const shared = sharedStore(home);
  if (shared) {
    const bytes = await shared.getBytes(artifactKeys.runManifest(runId)).catch((err: unknown) => {
      if (hasCode(err, 'artifacts.notFound')) return null;
      throw err;
    });
    if (bytes) {
      const manifest = JSON.parse(Buffer.from(bytes).toString('utf8')) as Manifest;
      await fs.mkdir(dir, { recursive: true });
      const tmp = path.join(dir, `matrix.json.${process.pid}.tmp`);
      await fs.writeFile(tmp, bytes);
      await fs.rename(tmp, path.join(dir, 'matrix.json'));
      return manifest;
    }
  }
  try {
    return await readLocalManifest(path.join(dir, 'matrix.json'));
  } catch (err) {
    throw new NotFoundError(
      'models.noRunMatrix',
      `run ${runId} has no saved model matrix in ${dir}${shared ? ` nor in ${shared.location}` : ''} (ingest it again with this TRACEPROP_HOME${shared ? ' and TRACEPROP_ARTIFACTS' : ''})`,
      { cause: err },
    );
  }
}

/**
 * Parsed local manifests by file, with the file's identity when parsed (inode, size, mtime): a
 * manifest holds every sample's id and key, and an erasure reads it several times (its lines'
 * load, its scrub), so an unchanged file is parsed once. Every write replaces the file by a
 * rename (a new inode), so a changed file is never taken for the cached one.
 */
const parsedManifests = new Map<string, { stamp: string; manifest: Manifest }>();

function stampOf(st: fssync.Stats): string {
  return `${st.ino}:${st.size}:${st.mtimeMs}`;
}

/**
 * The manifest in `file`, parsed once while the file is unchanged. The caller may change the
 * returned object and its `sampleKeys` (a copy); the other arrays are shared and never changed.
 */
async function readLocalManifest(file: string): Promise<Manifest> {
  const st = await fs.stat(file);
  const cached = parsedManifests.get(file);
  if (cached && cached.stamp === stampOf(st)) return copyManifest(cached.manifest);
  const manifest = JSON.parse(await fs.readFile(file, 'utf8')) as Manifest;
  // Only keep it when the file did not change while it was read.
  const after = await fs.stat(file);
  if (stampOf(after) === stampOf(st)) remember(file, after, manifest);
  return copyManifest(manifest);
}

/**
 * Writes a manifest (temporary file, then one rename); `keepParsed`: keep it parsed for the next
 * read (only when its arrays are the store's own, not a caller's that may change).
 */
async function writeLocalManifest(file: string, manifest: Manifest, keepParsed: boolean): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(manifest));
  await fs.rename(tmp, file);
  if (keepParsed) remember(file, await fs.stat(file), copyManifest(manifest));
  else parsedManifests.delete(file);
}

function remember(file: string, st: fssync.Stats, manifest: Manifest): void {
  parsedManifests.delete(file);
  parsedManifests.set(file, { stamp: stampOf(st), manifest });
  // A handful of runs at a time is what a process works on.
  if (parsedManifests.size > 8) parsedManifests.delete(parsedManifests.keys().next().value as string);
}

function copyManifest(manifest: Manifest): Manifest {
  return { ...manifest, sampleKeys: manifest.sampleKeys.slice() };
}

/** Where a run matrix's binary is now, its hash, and its scrub history. */
export interface RunMatrixFileState {
  /** Path of the binary file the manifest names. */
  file: string;
  sha256: string;
  scrubbedRows: number;
  scrubs: RunMatrixScrub[];
  /** Other `matrix*.bin` files in the run's folder (left by a crash mid-scrub; the next scrub removes them). */
  strayFiles: string[];
}

/**
 * The state of a run matrix's files: the binary its manifest names, its hash, the scrub history,
 * and any stray binary left beside it.
 *
 * @throws NotFoundError `models.noRunMatrix` when the run has no saved matrix.
 */
export async function runMatrixFileState(home: ArtifactHome, runId: string): Promise<RunMatrixFileState> {
  const manifest = await readManifest(home, runId);
  const dir = runDir(home, runId);
  const current = binFileOf(manifest);
  const shared = sharedStore(home);
  const strayKeys = shared
    ? (await sharedBinaries(home, runId)).filter((k) => k !== artifactKeys.runBinary(runId, manifest.sha256))
    : [];
  return {
    file: shared
      ? `${shared.location}/${artifactKeys.runBinary(runId, manifest.sha256)}`
      : path.join(dir, current),
    sha256: manifest.sha256,
    scrubbedRows: manifest.scrubbedRows?.length ?? 0,
    scrubs: manifest.scrubs ?? [],
    strayFiles: [
      ...(await binariesIn(dir)).filter((f) => f !== current).map((f) => path.join(dir, f)),
      ...strayKeys.map((k) => `${shared?.location}/${k}`),
    ],
  };
}

/** What an erasure scrubs from a run matrix. */
export interface RunMatrixScrubRequest {
  requestId: string;
  /** Rows whose features go (dropped and re-derived samples no active model reads from here). */
  featureRows: Iterable<number>;
  /** Rows whose label and business key go too (dropped samples). */
  droppedRows: Iterable<number>;
  /**
   * Aggregates of the matrix before any scrub (see `RunMatrix.fitBaseline`), kept by the first
   * scrub that removes rows; later ones keep the first.
   */
  fitBaseline?: unknown;
}

/** What {@link scrubRunMatrix} changed. */
export interface RunMatrixScrubResult {
  /** Rows scrubbed now (0: nothing left to scrub; the files were left as they were). */
  rows: number;
  /** Business keys blanked now. */
  keys: number;
  sha256Before: string;
  sha256After: string;
  /** Stray binaries removed (an earlier scrub's, cut short by a crash). */
  removedFiles: number;
}

/**
 * Scrubs rows out of a run's saved matrix, copy-on-write: a new binary
 * (`matrix.<sha256 prefix>.bin`) with the rows' features emptied and dropped samples' labels NaN,
 * then the manifest switched to it in one rename (naming the scrubbed rows and keeping the
 * previous hash in its scrub history), then the old binary deleted. Dropped samples' business
 * keys and protected-attribute groups are blanked in the manifest. A crash leaves the old or the new state, never a mix: at
 * worst an unreferenced binary, which the next call removes. Idempotent. The caller serialises
 * calls per run (see `scrubDerivedStores`). With a shared store the new binary and manifest are
 * uploaded the same way (binary, then manifest) and the old binary deleted from the store too. `loaded`: the matrix as the caller loaded it, used
 * when it still has the saved content hash (else the binary is read again).
 *
 * @throws NotFoundError `models.noRunMatrix` when the run has no saved matrix.
 */
export async function scrubRunMatrix(
  home: ArtifactHome,
  runId: string,
  request: RunMatrixScrubRequest,
  loaded?: LoadedRunMatrix,
): Promise<RunMatrixScrubResult> {
  const dir = runDir(home, runId);
  const manifest = await readManifest(home, runId);
  const already = new Set(manifest.scrubbedRows ?? []);
  const rows = [...new Set(request.featureRows)].filter((r) => !already.has(r) && r < manifest.rows);
  const dropped = new Set(request.droppedRows);
  let keys = 0;
  for (const r of dropped)
    if (r < manifest.rows && manifest.sampleKeys[r] !== '') {
      manifest.sampleKeys[r] = '';
      keys++;
    }
  // A dropped sample's protected groups go with its key (personal data of an erased subject).
  let groups = 0;
  for (const g of manifest.protectedGroups ?? [])
    for (const r of dropped)
      if (r < manifest.rows && g.values[r] !== null) {
        g.values[r] = null;
        groups++;
      }
  const before = manifest.sha256;
  let after = before;
  if (rows.length > 0) {
    const matrix =
      loaded && loaded.runId === runId && loaded.sha256 === before
        ? loaded
        : await loadRunMatrix(home, runId);
    const scrubbed = scrubbedSections(matrix, new Set(rows), dropped);
    const written = await writeSections(path.join(dir, 'matrix.next.bin'), scrubbed);
    const sha = written.sha256;
    const binFile = `matrix.${sha.slice(0, 16)}.bin`;
    await fs.rename(path.join(dir, 'matrix.next.bin'), path.join(dir, binFile));
    manifest.binFile = binFile;
    manifest.sha256 = sha;
    manifest.sections = written.entries;
    manifest.scrubbedRows = [...already, ...rows].sort((a, b) => a - b);
    if (manifest.fitBaseline === undefined && already.size === 0 && request.fitBaseline !== undefined)
      manifest.fitBaseline = request.fitBaseline;
    manifest.scrubs = [
      ...(manifest.scrubs ?? []),
      {
        requestId: request.requestId,
        at: new Date().toISOString(),
        rows: rows.length,
        sha256Before: before,
        sha256After: sha,
      },
    ];
    after = sha;
  }
  if (rows.length > 0 || keys > 0 || groups > 0) {
    await writeLocalManifest(path.join(dir, 'matrix.json'), manifest, true);
    await publish(home, manifest);
  }
  const removedFiles =
    (await removeStaleBinaries(dir, binFileOf(manifest))) + (await removeSharedStale(home, manifest));
  return { rows: rows.length, keys, sha256Before: before, sha256After: after, removedFiles };
}

/**
 * The matrix's sections with `rows` emptied (and, of `dropped`, the labels NaN). The kept parts
 * of the feature arrays are views of the loaded matrix between scrubbed rows (nothing copied).
 */
function scrubbedSections(
  matrix: RunMatrix,
  rows: ReadonlySet<number>,
  dropped: ReadonlySet<number>,
): Record<string, SectionData> {
  const x = matrix.features;
  const rowPtr = new Uint32Array(x.rows + 1);
  const colIdx: Uint32Array[] = [];
  const values: Float64Array[] = [];
  let removed = 0;
  let keptFrom = 0;
  const keep = (end: number) => {
    if (end > keptFrom) {
      colIdx.push(x.colIdx.subarray(keptFrom, end));
      values.push(x.values.subarray(keptFrom, end));
    }
  };
  for (let i = 0; i < x.rows; i++) {
    if (rows.has(i)) {
      keep(x.rowPtr[i]);
      removed += x.rowPtr[i + 1] - x.rowPtr[i];
      keptFrom = x.rowPtr[i + 1];
    }
    rowPtr[i + 1] = x.rowPtr[i + 1] - removed;
  }
  keep(x.rowPtr[x.rows]);
  const labels = Float64Array.from(matrix.labels);
  for (const r of rows) if (dropped.has(r)) labels[r] = Number.NaN;
  const sections: Record<string, SectionData> = { rowPtr, colIdx, values, labels, split: matrix.split };
  if (matrix.provenance) {
    sections.provenanceOffsets = matrix.provenance.offsets;
    sections.provenanceRowIds = matrix.provenance.rowIds;
  }
  return sections;
}

async function binariesIn(dir: string): Promise<string[]> {
  // Binaries, and the temporary files a crash may leave while one is written or downloaded.
  return (await fs.readdir(dir).catch(() => [] as string[])).filter((f) =>
    /^matrix(\..+)?\.bin(\.(download\.)?\d+\.tmp)?$/.test(f),
  );
}

/**
 * Brings a run's cached files in line with the shared store: the store's manifest replaces the
 * cached one and every cached binary it does not name is deleted (a scrub made elsewhere). A run
 * the store does not know is left alone. Returns how many binaries were deleted.
 */
export async function refreshCachedRun(home: ArtifactHome, runId: string): Promise<number> {
  const shared = sharedStore(home);
  if (!shared || !(await shared.exists(artifactKeys.runManifest(runId)))) return 0;
  return removeReplacedBinaries(runDir(home, runId), await readManifest(home, runId));
}

/** Uploads a run's binary (unless there) and then its manifest to the shared store, if any. */
async function publish(home: ArtifactHome, manifest: Manifest): Promise<void> {
  const shared = sharedStore(home);
  if (!shared) return;
  const dir = runDir(home, manifest.runId);
  await uploadOnce(
    shared,
    artifactKeys.runBinary(manifest.runId, manifest.sha256),
    path.join(dir, binFileOf(manifest)),
  );
  await shared.putBytes(artifactKeys.runManifest(manifest.runId), Buffer.from(JSON.stringify(manifest)));
}

/**
 * Makes sure the binary the manifest names is in the local folder: downloaded from the shared
 * store (verified against the manifest's sha256) when missing; stale cached binaries go.
 */
async function fetchBinary(home: ArtifactHome, manifest: Manifest): Promise<void> {
  const shared = sharedStore(home);
  if (!shared) return;
  const dir = runDir(home, manifest.runId);
  const file = path.join(dir, binFileOf(manifest));
  const present = await fs
    .stat(file)
    .then(() => true)
    .catch(() => false);
  if (present) return;
  await fs.mkdir(dir, { recursive: true });
  await downloadVerified(
    shared,
    artifactKeys.runBinary(manifest.runId, manifest.sha256),
    manifest.sha256,
    file,
  );
  // A binary a scrub elsewhere replaced must not stay in this cache.
  await removeReplacedBinaries(dir, manifest);
}

/**
 * Deletes the cached binaries of a run that its manifest does not name (temporary files of a
 * write in progress are left alone); returns how many.
 */
async function removeReplacedBinaries(dir: string, manifest: Manifest): Promise<number> {
  let removed = 0;
  for (const f of await binariesIn(dir))
    if (f !== binFileOf(manifest) && /^matrix(\.[0-9a-f]{16})?\.bin$/.test(f)) {
      await fs.rm(path.join(dir, f), { force: true });
      removed++;
    }
  return removed;
}

/** The binaries of a run in the shared store. */
async function sharedBinaries(home: ArtifactHome, runId: string): Promise<string[]> {
  const shared = sharedStore(home);
  if (!shared) return [];
  return (await shared.list(artifactKeys.runPrefix(runId))).filter((k) => k.endsWith('.bin'));
}

/** Deletes every binary of the run in the shared store but the manifest's; returns how many. */
async function removeSharedStale(home: ArtifactHome, manifest: Manifest): Promise<number> {
  const shared = sharedStore(home);
  if (!shared) return 0;
  const keep = artifactKeys.runBinary(manifest.runId, manifest.sha256);
  let removed = 0;
  for (const key of await sharedBinaries(home, manifest.runId))
    if (key !== keep && (await shared.delete(key))) removed++;
  return removed;
}

/** Deletes every `matrix*.bin` in `dir` but `keep`; returns how many. */
async function removeStaleBinaries(dir: string, keep: string): Promise<number> {
  let removed = 0;
  for (const f of await binariesIn(dir))
    if (f !== keep) {
      await fs.rm(path.join(dir, f), { force: true });
      removed++;
    }
  return removed;
}
