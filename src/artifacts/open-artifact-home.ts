import type { ArtifactsConfig } from '../config.js';
import type { ArtifactHome } from './artifact-home.js';
import type { ArtifactStore } from './artifact-store.js';
import { LocalFolderStore } from './local-folder-store.js';
import { S3ArtifactStore } from './s3-artifact-store.js';

/** One shared store per configuration and process (an S3 client keeps its connections). */
const opened = new Map<string, ArtifactStore>();

/**
 * The artifact home of a configuration: TRACEPROP_HOME alone (the default; a plain path, so the
 * layout and behaviour are those before object storage), or TRACEPROP_HOME as the cache of the
 * shared folder or bucket TRACEPROP_ARTIFACTS names.
 *
 * @example
 * await loadRunMatrix(openArtifactHome(config), runId);
 */
export function openArtifactHome(config: { home: string; artifacts: ArtifactsConfig }): ArtifactHome {
  const { artifacts } = config;
  if (artifacts.kind === 'home') return config.home;
  const id = JSON.stringify(artifacts);
  let shared = opened.get(id);
  if (!shared) {
    shared =
      artifacts.kind === 'folder' ? new LocalFolderStore(artifacts.dir) : new S3ArtifactStore(artifacts);
    opened.set(id, shared);
  }
  return { dir: config.home, shared };
}

/** Where the artifacts of a configuration are, for logs: `TRACEPROP_HOME`'s path, a folder or `s3://bucket/prefix` (no secret). */
export function artifactsLocation(config: { home: string; artifacts: ArtifactsConfig }): string {
  const { artifacts } = config;
  if (artifacts.kind === 'home') return config.home;
  if (artifacts.kind === 'folder') return artifacts.dir;
  return `s3://${artifacts.bucket}/${artifacts.prefix}`.replace(/\/$/, '');
}
