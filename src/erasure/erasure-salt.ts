import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import { TracepropError } from '../errors.js';

/** Name of the file under TRACEPROP_HOME that keeps the local default salt. */
const erasureSaltFileName = 'erasure-salt';

/** `<home>/erasure-salt`: the file that keeps the default salt when TRACEPROP_ERASURE_SALT is unset. */
export function erasureSaltFile(home: string): string {
  return path.join(home, erasureSaltFileName);
}

/**
 * The secret salt of the tombstones' key hashes. `fingerprint` (16 hex digits of an HMAC of a
 * fixed label, not of any data) is stored on every key-hashed Tombstone so that a changed salt
 * is detected instead of silently matching nothing. The secret itself never leaves the process:
 * `toString`, `toJSON` and `util.inspect` show only the fingerprint.
 */
export class ErasureSalt {
  /** Where the salt came from: TRACEPROP_ERASURE_SALT or the file under TRACEPROP_HOME. */
  readonly source: 'env' | 'file';
  /** The salt file, when `source` is `file`. */
  readonly file?: string;
  /** Identifies the salt without revealing it. */
  readonly fingerprint: string;
  readonly #secret: Buffer;

  constructor(secret: string, source: 'env' | 'file', file?: string) {
    this.#secret = Buffer.from(secret, 'utf8');
    this.source = source;
    if (file !== undefined) this.file = file;
    this.fingerprint = createHmac('sha256', this.#secret)
      .update('traceprop.erasure-salt.fingerprint/1')
      .digest('hex')
      .slice(0, 16);
  }

  /** HMAC-SHA256 of `message` under the salt, hex. */
  hmac(message: string): string {
    return createHmac('sha256', this.#secret).update(message, 'utf8').digest('hex');
  }

  toString(): string {
    return `[erasure salt ${this.fingerprint}]`;
  }

  toJSON(): { fingerprint: string; source: string } {
    return { fingerprint: this.fingerprint, source: this.source };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * The deployment's erasure salt: TRACEPROP_ERASURE_SALT (`config.erasureSalt`) when set;
 * otherwise a random 256-bit salt created once in `<home>/erasure-salt` with mode 0600 (created
 * atomically, so concurrent first uses agree) and read from there afterwards. Every worker and
 * CLI of one deployment must resolve the same salt: a shared TRACEPROP_HOME, or the same
 * TRACEPROP_ERASURE_SALT everywhere.
 *
 * @throws TracepropError `erasure.saltUnreadable` when the salt file cannot be read or created,
 *   or is empty.
 */
export function resolveErasureSalt(config: { home: string; erasureSalt?: string }): ErasureSalt {
  if (config.erasureSalt) return new ErasureSalt(config.erasureSalt, 'env');
  const file = erasureSaltFile(config.home);
  try {
    fs.mkdirSync(config.home, { recursive: true });
    try {
      fs.writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const secret = fs.readFileSync(file, 'utf8').trim();
    if (secret.length === 0) throw new Error('the file is empty');
    return new ErasureSalt(secret, 'file', file);
  } catch (err) {
    throw new TracepropError(
      'erasure.saltUnreadable',
      `cannot read or create the erasure salt ${file}: ${(err as Error).message}; set TRACEPROP_ERASURE_SALT (the deployment's shared secret) or fix the file`,
      { cause: err },
    );
  }
}
