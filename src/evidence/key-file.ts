import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TracepropError, UsageError } from '../errors.js';
import { SigningKey } from './signing-key.js';

/** Name of the signing key file under TRACEPROP_HOME. */
const keyFileName = 'signing-key.pem';

/** Where the deployment's signing key file lives: `<home>/signing-key.pem`. */
export function signingKeyFile(home: string): string {
  return path.join(home, keyFileName);
}

/** A new random Ed25519 key (in memory). */
export function generateSigningKey(): SigningKey {
  return new SigningKey(generateKeyPairSync('ed25519').privateKey, 'memory');
}

/**
 * The deployment's signing key, or undefined when there is none (then nothing is signed, and
 * nothing fails): TRACEPROP_SIGNING_KEY (`config.signingKey`, PKCS8 PEM or base64 PKCS8 DER)
 * when set, else `<home>/signing-key.pem` when it exists. A key file readable by group or others
 * is refused (`evidence.keyFilePermissions`): it must be 0600.
 */
export function resolveSigningKey(config: { home: string; signingKey?: string }): SigningKey | undefined {
  if (config.signingKey) return SigningKey.parse(config.signingKey, 'env');
  const file = signingKeyFile(config.home);
  if (!fs.existsSync(file)) return undefined;
  const mode = fs.statSync(file).mode & 0o777;
  if (mode & 0o077)
    throw new TracepropError(
      'evidence.keyFilePermissions',
      `the signing key file ${file} has mode ${mode.toString(8)}: only its owner may read it (chmod 600 ${file})`,
    );
  return SigningKey.parse(fs.readFileSync(file, 'utf8'), 'file');
}

/**
 * Writes `key` to `file` with mode 0600, atomically: to a temporary file first, then renamed over
 * `file` (`exclusive`: refuse when `file` exists, `evidence.keyExists`).
 */
export function writeKeyFile(file: string, key: SigningKey, exclusive: boolean): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (exclusive && fs.existsSync(file))
    throw new UsageError(
      'evidence.keyExists',
      `a signing key exists already in ${file}: \`traceprop keys show\` shows it, \`traceprop keys rotate\` replaces it`,
    );
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, key.exportPrivatePem(), { mode: 0o600, flag: 'wx' });
  try {
    fs.chmodSync(tmp, 0o600);
    if (exclusive) {
      // link fails when `file` appeared meanwhile: two concurrent inits never both win.
      fs.linkSync(tmp, file);
      fs.rmSync(tmp);
    } else fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    if ((err as NodeJS.ErrnoException).code === 'EEXIST')
      throw new UsageError('evidence.keyExists', `a signing key exists already in ${file}`, { cause: err });
    throw err;
  }
}
