import fs from 'node:fs/promises';
import path from 'node:path';
import type { ArtifactHome } from '../artifacts/artifact-home.js';
import type { LogisticKernelPrecomputation } from '../attribution/kernel-precomputation.js';
import {
  type PatternEncodingArrays,
  patternEncodingFromArrays,
  patternEncodingToArrays,
} from '../attribution/pattern-encoding-arrays.js';
import { readSections, type SectionArray, type SectionEntry, writeSections } from './binary-sections.js';
import { modelArtifactState, modelDir } from './model-artifact-store.js';

/** What a kernel cache was computed from: it is used only with exactly these parameters and rows. */
export interface KernelCacheKey {
  /** Content sha256 of the model's `params.bin` (θ and its training rows). */
  paramsSha256: string;
  /** Content sha256 of the run matrix the training rows come from. */
  runMatrixSha256: string;
}

interface KernelCacheManifest extends KernelCacheKey {
  format: 'traceprop.kernels/1';
  modelId: string;
  rows: number;
  cols: number;
  sha256: string;
  sections: SectionEntry[];
}

const binFile = 'kernels.bin';
const manifestFile = 'kernels.json';

/**
 * The files of a model's kernel cache, under `<home>/models/<modelId>/`. The cache stays local to
 * each host (with a shared artifact store too): it is derived, and recomputed where missing.
 */
export function kernelCacheFiles(home: ArtifactHome, modelId: string): { bin: string; manifest: string } {
  const dir = modelDir(home, modelId);
  return { bin: path.join(dir, binFile), manifest: path.join(dir, manifestFile) };
}

/**
 * Saves a model's {@link LogisticKernelPrecomputation} next to its artifact
 * (`kernels.bin` + `kernels.json`), keyed by the hashes it was computed from. It is derived
 * from the training rows like `params.bin`, and is deleted with it (`shredModelParams`): when
 * the model's parameters were shredded meanwhile (an erasure while a job computed), nothing is
 * saved and false returned.
 */
export async function saveKernelCache(
  home: ArtifactHome,
  modelId: string,
  key: KernelCacheKey,
  pre: LogisticKernelPrecomputation,
): Promise<boolean> {
  if ((await modelArtifactState(home, modelId))?.shredded) return false;
  const files = kernelCacheFiles(home, modelId);
  await fs.mkdir(path.dirname(files.bin), { recursive: true });
  const sections: Record<string, SectionArray> = {
    inverseHessian: pre.inverseHessian,
    residuals: pre.residuals,
    leverageResiduals: pre.leverageResiduals,
    ...(pre.patterns ? patternEncodingToArrays(pre.patterns) : {}),
  };
  const written = await writeSections(files.bin, sections);
  const manifest: KernelCacheManifest = {
    format: 'traceprop.kernels/1',
    modelId,
    ...key,
    rows: pre.rows,
    cols: pre.cols,
    sha256: written.sha256,
    sections: written.entries,
  };
  const tmp = `${files.manifest}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(manifest, null, 1));
  await fs.rename(tmp, files.manifest);
  return true;
}

/**
 * Loads a model's kernel cache when one was saved for exactly `key` (else undefined: none, or
 * computed from other parameters or rows). A cache whose bytes do not match its manifest's
 * sha256 is not used: the error is passed to `onUnusable` and undefined returned, so the caller
 * recomputes (a cache never decides a result).
 */
export async function loadKernelCache(
  home: ArtifactHome,
  modelId: string,
  key: KernelCacheKey,
  onUnusable: (error: Error) => void = () => {},
): Promise<LogisticKernelPrecomputation | undefined> {
  const files = kernelCacheFiles(home, modelId);
  let manifest: KernelCacheManifest;
  try {
    manifest = JSON.parse(await fs.readFile(files.manifest, 'utf8')) as KernelCacheManifest;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') onUnusable(err as Error);
    return undefined;
  }
  if (
    manifest.format !== 'traceprop.kernels/1' ||
    manifest.paramsSha256 !== key.paramsSha256 ||
    manifest.runMatrixSha256 !== key.runMatrixSha256
  )
    return undefined;
  try {
    const s = await readSections(files.bin, manifest.sections, manifest.sha256);
    const pre: LogisticKernelPrecomputation = {
      rows: manifest.rows,
      cols: manifest.cols,
      inverseHessian: s.inverseHessian as Float64Array,
      residuals: s.residuals as Float64Array,
      leverageResiduals: s.leverageResiduals as Float64Array,
    };
    if (s.patternMeta) pre.patterns = patternEncodingFromArrays(s as unknown as PatternEncodingArrays);
    return pre;
  } catch (err) {
    onUnusable(err as Error);
    return undefined;
  }
}
