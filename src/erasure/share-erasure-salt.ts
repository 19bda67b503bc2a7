import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { sharedStore } from '../artifacts/artifact-home.js';
import { openArtifactHome } from '../artifacts/open-artifact-home.js';
import type { ArtifactsConfig } from '../config.js';
import { hasCode, TracepropError } from '../errors.js';
import { type ErasureSalt, erasureSaltFile, resolveErasureSalt } from './erasure-salt.js';

/** Key of the deployment's default erasure salt in the shared artifact store. */
const saltKey = 'erasure-salt';

/**
 * Makes `<home>/erasure-salt` the deployment's salt when the artifacts are in a shared store and
 * TRACEPROP_ERASURE_SALT is unset, so that hosts with homes of their own hash keys alike: the
 * store's `erasure-salt` object wins; when the store has none, this home's salt (or a new random
 * one) is put there first and what the store then holds is taken (two first uses at once agree
 * on the last one written; a disagreement before is refused by the tombstones' fingerprint
 * check, `erasure.saltMismatch`). Nothing to do without a shared store or with an env salt.
 * The salt is as secret as the store's credentials make it: see docs/object-storage.md.
 *
 * @throws TracepropError `erasure.saltUnreadable` when the home's salt file cannot be written;
 *   the artifact store's errors.
 */
export async function shareErasureSalt(config: {
  home: string;
  erasureSalt?: string;
  artifacts: ArtifactsConfig;
}): Promise<void> {
  if (config.erasureSalt) return;
  const shared = sharedStore(openArtifactHome(config));
  if (!shared) return;
  const file = erasureSaltFile(config.home);
  const read = async () => {
    const bytes = await shared.getBytes(saltKey).catch((err: unknown) => {
      if (hasCode(err, 'artifacts.notFound')) return null;
      throw err;
    });
    const text = bytes ? Buffer.from(bytes).toString('utf8').trim() : '';
    return text.length > 0 ? text : null;
  };
  let secret = await read();
  const local = await fs
    .readFile(file, 'utf8')
    .then((t) => t.trim())
    .catch(() => '');
  if (!secret) {
    await shared.putBytes(saltKey, Buffer.from(`${local || randomBytes(32).toString('hex')}\n`));
    secret = await read();
    if (!secret)
      throw new TracepropError(
        'erasure.saltUnreadable',
        `the erasure salt just put in ${shared.location} cannot be read back`,
      );
  }
  if (secret === local) return;
  try {
    await fs.mkdir(config.home, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, `${secret}\n`, { mode: 0o600 });
    await fs.rename(tmp, file);
  } catch (err) {
    throw new TracepropError(
      'erasure.saltUnreadable',
      `cannot write the erasure salt ${file}: ${(err as Error).message}; set TRACEPROP_ERASURE_SALT (the deployment's shared secret) or fix the folder`,
      { cause: err },
    );
  }
}

/** {@link shareErasureSalt}, then the salt (see `resolveErasureSalt`). */
export async function resolveDeploymentSalt(config: {
  home: string;
  erasureSalt?: string;
  artifacts: ArtifactsConfig;
}): Promise<ErasureSalt> {
  await shareErasureSalt(config);
  return resolveErasureSalt(config);
}
