import type { ArtifactStore } from './artifact-store.js';

/**
 * Where a process keeps artifacts: the local folder (TRACEPROP_HOME, laid out as
 * `runs/<id>/…`, `models/<id>/…`) and, when TRACEPROP_ARTIFACTS names one, the shared store the
 * folder caches. Writers write the folder then upload; readers download what the folder lacks.
 */
export interface ArtifactLocation {
  /** The local folder (the cache when `shared` is set). */
  dir: string;
  /** The shared store every host reads (absent: the local folder is all there is). */
  shared?: ArtifactStore;
}

/** An artifact home: a local folder (a plain path, as before object storage) or a location. */
export type ArtifactHome = string | ArtifactLocation;

/** The local folder of an artifact home. */
export function artifactDir(home: ArtifactHome): string {
  return typeof home === 'string' ? home : home.dir;
}

/** The shared store of an artifact home, if any. */
export function sharedStore(home: ArtifactHome): ArtifactStore | undefined {
  return typeof home === 'string' ? undefined : home.shared;
}
