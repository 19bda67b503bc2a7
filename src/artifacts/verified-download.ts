import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { InputError } from '../errors.js';
import type { ArtifactStore } from './artifact-store.js';

/** The sha256 of a file's bytes, hex. */
export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

/**
 * Downloads the object `key` into `file`, verifying that its bytes have the sha256 `sha256`
 * before the file appears (a download is written beside it and renamed when it matches).
 *
 * @throws InputError `artifacts.digestMismatch` when the bytes differ (nothing is left behind);
 *   NotFoundError `artifacts.notFound` when there is no such object.
 */
export async function downloadVerified(
  store: ArtifactStore,
  key: string,
  sha256: string,
  file: string,
): Promise<void> {
  const tmp = `${file}.download.${process.pid}.tmp`;
  try {
    await store.getFile(key, tmp);
    const got = await sha256OfFile(tmp);
    if (got !== sha256)
      throw new InputError(
        'artifacts.digestMismatch',
        `artifact ${key} in ${store.location} has sha256 ${got}, not the ${sha256} it should have: it was altered or damaged in the store (it was not used)`,
      );
    await fsp.rename(tmp, file);
  } finally {
    await fsp.rm(tmp, { force: true });
  }
}

/**
 * Uploads `file` (whose sha256 is `sha256`, named by `key`) unless the store already has that
 * key: content-addressed keys make an existing object the same bytes.
 */
export async function uploadOnce(store: ArtifactStore, key: string, file: string): Promise<void> {
  if (await store.exists(key)) return;
  await store.putFile(key, file);
}
