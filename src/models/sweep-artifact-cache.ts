import fs from 'node:fs/promises';
import path from 'node:path';
import { type ArtifactHome, artifactDir, sharedStore } from '../artifacts/artifact-home.js';
import { refreshCachedModel } from './model-artifact-store.js';
import { refreshCachedRun } from './run-matrix-store.js';

/** What {@link sweepArtifactCache} deleted. */
export interface ArtifactCacheSweep {
  /** Runs and models looked at. */
  checked: number;
  /** Cached run-matrix binaries a scrub elsewhere replaced. */
  binaries: number;
  /** Cached parameters of model versions shredded elsewhere. */
  params: number;
}

/**
 * Brings every run and model cached under the home in line with the shared store (see
 * `refreshCachedRun`, `refreshCachedModel`), so that bytes an erasure on another host deleted
 * from the store do not stay in this host's cache until it happens to load them again. A worker
 * runs it at start and every `artifactCacheSweepSeconds`. Nothing to do without a shared store.
 */
export async function sweepArtifactCache(home: ArtifactHome): Promise<ArtifactCacheSweep> {
  const sweep: ArtifactCacheSweep = { checked: 0, binaries: 0, params: 0 };
  if (!sharedStore(home)) return sweep;
  const cached = async (kind: string) =>
    (await fs.readdir(path.join(artifactDir(home), kind), { withFileTypes: true }).catch(() => []))
      .filter((e) => e.isDirectory())
      .map((e) => decodeURIComponent(e.name));
  for (const runId of await cached('runs')) {
    sweep.checked++;
    sweep.binaries += await refreshCachedRun(home, runId);
  }
  for (const modelId of await cached('models')) {
    sweep.checked++;
    if (await refreshCachedModel(home, modelId)) sweep.params++;
  }
  return sweep;
}
