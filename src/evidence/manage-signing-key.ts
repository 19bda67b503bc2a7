import fs from 'node:fs';
import { UsageError } from '../errors.js';
import { type GraphClient, withSession } from '../graph/connection.js';
import { cypherText } from '../graph/cypher-library.js';
import type { AppendedStatement } from './append-statement.js';
import { generateSigningKey, resolveSigningKey, signingKeyFile, writeKeyFile } from './key-file.js';
import { keyStatement } from './key-statement.js';
import { publishSigningKey } from './publish-signing-key.js';
import { recordStatement } from './record-statement.js';
import type { SigningKey } from './signing-key.js';

/** Where the signing key lives: TRACEPROP_HOME and TRACEPROP_SIGNING_KEY (`config.signingKey`). */
export interface KeyConfig {
  home: string;
  signingKey?: string;
}

/** What a key change did. */
export interface KeyChange {
  keyId: string;
  publicKey: string;
  /** `file` (the path) or `env` (TRACEPROP_SIGNING_KEY). */
  source: string;
  /** The signed `key` statement of the change. */
  statement: AppendedStatement;
  /** The retired key's id, after a rotation. */
  previousKeyId?: string;
}

/**
 * `traceprop keys init`: with TRACEPROP_SIGNING_KEY set, publishes that key; otherwise creates a
 * new Ed25519 key in `<home>/signing-key.pem` (mode 0600; refused with `evidence.keyExists` when
 * there is one). Either way the key is published as `(:SigningKey)` and a signed `key` statement
 * (`init`) opens its use in the log. When the graph write fails, the new key file is removed.
 */
export async function initSigningKey(client: GraphClient, config: KeyConfig): Promise<KeyChange> {
  const fromEnv = config.signingKey ? resolveSigningKey(config) : undefined;
  const file = signingKeyFile(config.home);
  const key = fromEnv ?? generateSigningKey();
  if (!fromEnv) writeKeyFile(file, key, true);
  try {
    const statement = await withSession(client, (session) =>
      session.executeWrite(async (tx) => {
        const at = new Date().toISOString();
        await publishSigningKey(tx, key, at);
        return recordStatement(tx, key, keyStatement('init', key), { at });
      }),
    );
    return { keyId: key.keyId, publicKey: key.publicKeyPem, source: fromEnv ? 'env' : file, statement };
  } catch (err) {
    if (!fromEnv) fs.rmSync(file, { force: true });
    throw err;
  }
}

/**
 * `traceprop keys rotate`: a new key replaces the key file's. In one write transaction the new
 * key is published, a `key` statement (`rotate`) signed by the old key AND the new is logged
 * (its tree head signed by the new key), and the old key's SigningKey gets `to` (retired); only
 * then is the key file replaced (atomically). A key from TRACEPROP_SIGNING_KEY is refused
 * (`evidence.keyFromEnv`): the environment is changed by whoever set it.
 */
export async function rotateSigningKey(client: GraphClient, config: KeyConfig): Promise<KeyChange> {
  if (config.signingKey)
    throw new UsageError(
      'evidence.keyFromEnv',
      'the signing key comes from TRACEPROP_SIGNING_KEY: rotate it by unsetting it and running `traceprop keys rotate` on a key file, or publish a new one with `traceprop keys init` after changing the variable',
    );
  const old = resolveSigningKey(config);
  if (!old)
    throw new UsageError(
      'evidence.noKey',
      'there is no signing key to rotate: create one with `traceprop keys init`',
    );
  const next = generateSigningKey();
  const file = signingKeyFile(config.home);
  const statement = await withSession(client, (session) =>
    session.executeWrite(async (tx) => {
      const at = new Date().toISOString();
      await publishSigningKey(tx, old, at);
      const appended = await recordStatement(tx, next, keyStatement('rotate', next, old), {
        cosigners: [old],
        at,
      });
      await tx.run(cypherText('evidence', 'retire-key'), { id: old.keyId, at });
      return appended;
    }),
  );
  writeKeyFile(file, next, false);
  return {
    keyId: next.keyId,
    publicKey: next.publicKeyPem,
    source: file,
    statement,
    previousKeyId: old.keyId,
  };
}

/** The signing key `keys show` describes, or undefined when there is none. */
export function currentSigningKey(config: KeyConfig): SigningKey | undefined {
  return resolveSigningKey(config);
}
