import fs from 'node:fs/promises';
import path from 'node:path';
import { type ArtifactHome, artifactDir, sharedStore } from '../artifacts/artifact-home.js';
import { artifactKeys } from '../artifacts/artifact-keys.js';
import { downloadVerified, uploadOnce } from '../artifacts/verified-download.js';
import { hasCode, NotFoundError } from '../errors.js';
import { readSections, type SectionArray, type SectionEntry, writeSections } from './binary-sections.js';
import type { ModelCertification } from './model-certification.js';
import type { ReplacedRows } from './replaced-rows.js';

/**
 * A logistic model's artifact: what unlearning needs to update it without refitting.
 */
export interface ModelArtifact {
  modelId: string;
  runId: string;
  kind: 'logistic-regression';
  lambda: number;
  featureNames: string[];
  /** d+1 parameters, intercept last. */
  theta: Float64Array;
  /**
   * Σᵢ pᵢ(1−pᵢ)·x̃ᵢx̃ᵢᵀ over the training rows ((d+1)², no λ term), at θ or at `hessianTheta`.
   */
  hessianSum: Float64Array;
  /**
   * The parameters `hessianSum` is exact at, when not θ: an unlearned version keeps the sum its
   * update downdated (at an earlier version's θ) instead of a pass over every row at its own θ.
   */
  hessianTheta?: Float64Array;
  /**
   * Rows (samples) of the run matrix the model was trained on (ascending); features of samples
   * in `replaced` come from there.
   */
  trainRows: Uint32Array;
  /** Run-matrix rows this version scores (test samples still in use); absent: every labelled test row. */
  testRows?: Uint32Array;
  /** Samples whose features were re-derived by recompute-mode unlearning (train and test). */
  replaced?: ReplacedRows;
  /** Content sha256 of the run matrix it was trained on. */
  runMatrixSha256: string;
  /** Certified removal (`--certify`): ε, δ, σ, the budget and the secret perturbation b. */
  certification?: ModelCertification;
}

/** Where a saved artifact is and its content hash. */
export interface SavedModelArtifact {
  /** `<home>/models/<modelId>`. */
  dir: string;
  /** Content sha256 of `params.bin` (θ, Hessian sum, training rows). */
  paramsSha256: string;
}

interface Manifest {
  format: 'traceprop.model/1';
  modelId: string;
  runId: string;
  kind: 'logistic-regression';
  lambda: number;
  featureNames: string[];
  runMatrixSha256: string;
  paramsSha256: string;
  sections: SectionEntry[];
  /** Certified removal parameters; b itself is the `perturbation` section of params.bin. */
  certification?: Omit<ModelCertification, 'perturbation'>;
  /** Set when an erasure deleted `params.bin`: the hashes and the rest stay for the record. */
  shredded?: ModelShredding;
}

/** Who deleted a model version's parameters, and when. */
export interface ModelShredding {
  /** The erasure request whose data the parameters held. */
  requestId: string;
  at: string;
}

/** `<home>/models/<modelId>` (the cache, when a shared store holds the artifact). */
export function modelDir(home: ArtifactHome, modelId: string): string {
  return path.join(artifactDir(home), 'models', encodeURIComponent(modelId));
}

/**
 * The model's manifest (null: none saved). With a shared store the store's is the one in force
 * (another host may have shredded the parameters): read from there and cached; the local copy is
 * used only when the store has none.
 */
async function readManifest(home: ArtifactHome, modelId: string): Promise<Manifest | null> {
  const dir = modelDir(home, modelId);
  const shared = sharedStore(home);
  if (shared) {
    const bytes = await shared.getBytes(artifactKeys.modelManifest(modelId)).catch((err: unknown) => {
      if (hasCode(err, 'artifacts.notFound')) return null;
      throw err;
    });
    if (bytes) {
      await fs.mkdir(dir, { recursive: true });
      await writeAtomically(path.join(dir, 'model.json'), bytes);
      return JSON.parse(Buffer.from(bytes).toString('utf8')) as Manifest;
    }
  }
  try {
    return JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8')) as Manifest;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** The manifest, or `models.noArtifact`. */
async function requireManifest(home: ArtifactHome, modelId: string): Promise<Manifest> {
  const manifest = await readManifest(home, modelId).catch((err: unknown) => {
    if (err instanceof SyntaxError) return null;
    throw err;
  });
  if (manifest) return manifest;
  const shared = sharedStore(home);
  throw new NotFoundError(
    'models.noArtifact',
    `model ${modelId} has no saved parameters in ${modelDir(home, modelId)}${shared ? ` nor in ${shared.location}` : ''}`,
  );
}

async function writeAtomically(file: string, bytes: Uint8Array | string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, bytes);
  await fs.rename(tmp, file);
}

/** Uploads the parameters (unless there) and then the manifest to the shared store, if any. */
async function publish(home: ArtifactHome, manifest: Manifest): Promise<void> {
  const shared = sharedStore(home);
  if (!shared) return;
  if (!manifest.shredded)
    await uploadOnce(
      shared,
      artifactKeys.modelParams(manifest.modelId, manifest.paramsSha256),
      path.join(modelDir(home, manifest.modelId), 'params.bin'),
    );
  await shared.putBytes(
    artifactKeys.modelManifest(manifest.modelId),
    Buffer.from(JSON.stringify(manifest, null, 1)),
  );
}

/** The files of a model's folder besides its manifest: the parameters and caches derived from them. */
async function derivedFiles(dir: string): Promise<string[]> {
  return (await fs.readdir(dir).catch(() => [] as string[])).filter(
    (name) => name !== 'model.json' && !/^model\.json\..+\.tmp$/.test(name),
  );
}

/** Deletes a model folder's files besides its manifest (see {@link derivedFiles}). */
async function removeDerivedFiles(dir: string): Promise<void> {
  for (const name of await derivedFiles(dir))
    await fs.rm(path.join(dir, name), { force: true, recursive: true });
}

/** Whether a file exists. */
function isFile(file: string): Promise<boolean> {
  return fs
    .stat(file)
    .then(() => true)
    .catch(() => false);
}

/**
 * Saves a model artifact under `<home>/models/<modelId>/` (`params.bin` + `model.json`);
 * `params.bin` holds θ, the Hessian sum, the training rows and, when present, the scored test
 * rows and the re-derived (replaced) feature rows. With a shared store (TRACEPROP_ARTIFACTS) the
 * parameters are then uploaded under their sha256, and the manifest after them.
 */
export async function saveModelArtifact(
  home: ArtifactHome,
  artifact: ModelArtifact,
): Promise<SavedModelArtifact> {
  const dir = modelDir(home, artifact.modelId);
  await fs.mkdir(dir, { recursive: true });
  const sections: Record<string, SectionArray> = {
    theta: artifact.theta,
    hessianSum: artifact.hessianSum,
    trainRows: artifact.trainRows,
  };
  if (artifact.testRows) sections.testRows = artifact.testRows;
  if (artifact.hessianTheta) sections.hessianTheta = artifact.hessianTheta;
  if (artifact.replaced) {
    sections.replacedSamples = artifact.replaced.samples;
    sections.replacedRowPtr = artifact.replaced.x.rowPtr;
    sections.replacedColIdx = artifact.replaced.x.colIdx;
    sections.replacedValues = artifact.replaced.x.values;
  }
  if (artifact.certification) sections.perturbation = artifact.certification.perturbation;
  const written = await writeSections(path.join(dir, 'params.bin'), sections);
  // b of a certified model is a secret: only the owner of TRACEPROP_HOME may read it.
  if (artifact.certification) await fs.chmod(path.join(dir, 'params.bin'), 0o600);
  const manifest: Manifest = {
    format: 'traceprop.model/1',
    modelId: artifact.modelId,
    runId: artifact.runId,
    kind: artifact.kind,
    lambda: artifact.lambda,
    featureNames: artifact.featureNames,
    runMatrixSha256: artifact.runMatrixSha256,
    paramsSha256: written.sha256,
    sections: written.entries,
  };
  if (artifact.certification) {
    const { perturbation: _secret, ...parameters } = artifact.certification;
    manifest.certification = parameters;
  }
  await fs.writeFile(path.join(dir, 'model.json'), JSON.stringify(manifest, null, 1));
  await publish(home, manifest);
  return { dir, paramsSha256: written.sha256 };
}

/**
 * Loads a model artifact, verifying the content hash (and, when given, that it is the one the
 * Model node names).
 *
 * @throws NotFoundError `models.noArtifact`; InputError `models.corruptArtifact`.
 */
export async function loadModelArtifact(
  home: ArtifactHome,
  modelId: string,
  expectedSha256?: string,
): Promise<ModelArtifact & SavedModelArtifact> {
  const dir = modelDir(home, modelId);
  const manifest = await requireManifest(home, modelId);
  const shared = sharedStore(home);
  if (manifest.shredded && shared) await removeDerivedFiles(dir);
  if (manifest.shredded)
    throw new NotFoundError(
      'models.shredded',
      `model ${modelId}'s parameters were deleted by erasure request ${manifest.shredded.requestId} on ${manifest.shredded.at} (they were fitted on erased data; their sha256 ${manifest.paramsSha256} is kept in ${path.join(dir, 'model.json')}); use the active version of its line`,
    );
  const params = path.join(dir, 'params.bin');
  if (shared && !(await isFile(params))) {
    await downloadVerified(
      shared,
      artifactKeys.modelParams(modelId, manifest.paramsSha256),
      manifest.paramsSha256,
      params,
    );
    if (manifest.certification) await fs.chmod(params, 0o600);
  }
  const s = await readSections(params, manifest.sections, expectedSha256 ?? manifest.paramsSha256);
  const out: ModelArtifact & SavedModelArtifact = {
    modelId: manifest.modelId,
    runId: manifest.runId,
    kind: manifest.kind,
    lambda: manifest.lambda,
    featureNames: manifest.featureNames,
    runMatrixSha256: manifest.runMatrixSha256,
    theta: s.theta as Float64Array,
    hessianSum: s.hessianSum as Float64Array,
    trainRows: s.trainRows as Uint32Array,
    dir,
    paramsSha256: manifest.paramsSha256,
  };
  if (s.testRows) out.testRows = s.testRows as Uint32Array;
  if (s.hessianTheta) out.hessianTheta = s.hessianTheta as Float64Array;
  if (manifest.certification && s.perturbation)
    out.certification = { ...manifest.certification, perturbation: s.perturbation as Float64Array };
  if (s.replacedSamples) {
    const samples = s.replacedSamples as Uint32Array;
    out.replaced = {
      samples,
      x: {
        rows: samples.length,
        cols: manifest.featureNames.length,
        rowPtr: s.replacedRowPtr as Uint32Array,
        colIdx: s.replacedColIdx as Uint32Array,
        values: s.replacedValues as Float64Array,
      },
    };
  }
  return out;
}

/** A model artifact's manifest as the erasure inventory needs it (null: no artifact). */
export interface ModelArtifactState {
  dir: string;
  paramsSha256: string;
  /**
   * Whether `params.bin`, or another file derived from the training rows (a cache), is on disk,
   * or (with a shared store) the parameters are in the store.
   */
  paramsOnDisk: boolean;
  shredded?: ModelShredding;
  /** The feature names `model.json` keeps (kept when the parameters are shredded). */
  featureNames: string[];
}

/** Reads a model artifact's manifest without loading its parameters (null: none saved). */
export async function modelArtifactState(
  home: ArtifactHome,
  modelId: string,
): Promise<ModelArtifactState | null> {
  const dir = modelDir(home, modelId);
  const manifest = await readManifest(home, modelId);
  if (!manifest) return null;
  const shared = sharedStore(home);
  const paramsOnDisk =
    (await derivedFiles(dir)).length > 0 ||
    (shared !== undefined && (await sharedParams(home, modelId)).length > 0);
  return {
    dir,
    paramsSha256: manifest.paramsSha256,
    paramsOnDisk,
    featureNames: manifest.featureNames ?? [],
    ...(manifest.shredded ? { shredded: manifest.shredded } : {}),
  };
}

/**
 * Deletes a model version's parameters (`params.bin`: θ, the Hessian sum, the re-derived rows,
 * the certified perturbation) because they were fitted on data an erasure removed, keeping
 * `model.json` (hashes, feature names, λ, certification constants) with who deleted them and
 * when. The manifest is switched first (one rename), then the file removed, so a crash in between
 * leaves a manifest that says shredded and a file the next call removes. Idempotent; returns
 * whether a file was deleted now. Deleting is what the file system offers: the blocks are freed,
 * not overwritten (encrypt TRACEPROP_HOME's volume where that matters). With a shared store the
 * manifest there is switched first too, then the store's parameter objects deleted.
 *
 * @throws NotFoundError `models.noArtifact` when the model has no saved artifact.
 */
export async function shredModelParams(
  home: ArtifactHome,
  modelId: string,
  by: ModelShredding,
): Promise<boolean> {
  const dir = modelDir(home, modelId);
  const file = path.join(dir, 'model.json');
  const manifest = await requireManifest(home, modelId);
  const shared = sharedStore(home);
  if (!manifest.shredded) {
    manifest.shredded = by;
    await fs.mkdir(dir, { recursive: true });
    await writeAtomically(file, JSON.stringify(manifest, null, 1));
    await publish(home, manifest);
  }
  const params = path.join(dir, 'params.bin');
  let existed = await isFile(params);
  await fs.rm(params, { force: true });
  // Everything else beside the manifest is derived from the same rows (e.g. the kernel cache,
  // kernels.bin): it goes too.
  await removeDerivedFiles(dir);
  if (shared)
    for (const key of await sharedParams(home, modelId)) if (await shared.delete(key)) existed = true;
  return existed;
}

/**
 * The bytes of a model's parameters as kept, unverified (for an auditor's own hash): the local
 * `params.bin`, else (with a shared store) the store's object named by `paramsSha256`; null when
 * neither is there.
 */
export async function readModelParamsBytes(
  home: ArtifactHome,
  modelId: string,
  paramsSha256: string,
): Promise<Uint8Array | null> {
  const local = await fs.readFile(path.join(modelDir(home, modelId), 'params.bin')).catch(() => null);
  if (local) return local;
  const shared = sharedStore(home);
  if (!shared) return null;
  return shared.getBytes(artifactKeys.modelParams(modelId, paramsSha256)).catch((err: unknown) => {
    if (hasCode(err, 'artifacts.notFound')) return null;
    throw err;
  });
}

/**
 * Brings a model's cached files in line with the shared store: the store's manifest replaces the
 * cached one, and a cached `params.bin` of a version the store says was shredded is deleted. A
 * model the store does not know is left alone. Returns whether a file was deleted.
 */
export async function refreshCachedModel(home: ArtifactHome, modelId: string): Promise<boolean> {
  const shared = sharedStore(home);
  if (!shared) return false;
  const manifest = await readManifest(home, modelId);
  if (!manifest?.shredded) return false;
  const dir = modelDir(home, modelId);
  const cached = (await derivedFiles(dir)).length > 0;
  await removeDerivedFiles(dir);
  return cached;
}

/** Keys of the model's parameter objects in the shared store. */
async function sharedParams(home: ArtifactHome, modelId: string): Promise<string[]> {
  const shared = sharedStore(home);
  if (!shared) return [];
  return (await shared.list(artifactKeys.modelPrefix(modelId))).filter((k) => k.endsWith('.bin'));
}
