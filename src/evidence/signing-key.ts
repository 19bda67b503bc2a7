import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { inspect } from 'node:util';
import { InputError } from '../errors.js';

/**
 * The id of an Ed25519 public key: hex SHA-256 of its SubjectPublicKeyInfo DER encoding. The same
 * key always has the same id, whoever computes it (an auditor with `openssl pkey -pubin -outform
 * DER | sha256sum` too).
 */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/** A public key from its SPKI PEM text; throws `evidence.badKey` when it is not an Ed25519 key. */
export function publicKeyFromPem(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (err) {
    throw new InputError('evidence.badKey', `not a public key in PEM form: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new InputError('evidence.badKey', `expected an Ed25519 public key, got ${key.asymmetricKeyType}`);
  return key;
}

/** True when `signature` is an Ed25519 signature of `message` by `publicKey`. */
export function verifyEd25519(publicKey: KeyObject, message: Buffer, signature: Buffer): boolean {
  try {
    return verify(null, message, publicKey, signature);
  } catch {
    return false;
  }
}

/**
 * An Ed25519 signing key. The private key never leaves the object: `toString`, `toJSON` and
 * `util.inspect` show only the key id, so logging a SigningKey cannot leak it.
 */
export class SigningKey {
  /** Hex SHA-256 of the public key's SPKI DER ({@link keyIdOf}). */
  readonly keyId: string;
  /** The public key (SPKI PEM text), as published in the graph. */
  readonly publicKeyPem: string;
  /** Where the key came from: TRACEPROP_SIGNING_KEY, a key file, or made in memory. */
  readonly source: 'env' | 'file' | 'memory';
  readonly #privateKey: KeyObject;
  readonly #publicKey: KeyObject;

  constructor(privateKey: KeyObject, source: SigningKey['source']) {
    if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519')
      throw new InputError(
        'evidence.badKey',
        `expected an Ed25519 private key, got a ${privateKey.type} ${privateKey.asymmetricKeyType} key`,
      );
    this.#privateKey = privateKey;
    this.#publicKey = createPublicKey(privateKey);
    this.keyId = keyIdOf(this.#publicKey);
    this.publicKeyPem = this.#publicKey.export({ type: 'spki', format: 'pem' }).toString();
    this.source = source;
  }

  /**
   * Reads a private key given as PKCS8 PEM text or as base64 of its PKCS8 DER (the two forms
   * TRACEPROP_SIGNING_KEY accepts). Throws `evidence.badKey` (without echoing the text).
   */
  static parse(text: string, source: SigningKey['source']): SigningKey {
    const trimmed = text.trim();
    let key: KeyObject;
    try {
      key = trimmed.startsWith('-----BEGIN')
        ? createPrivateKey(trimmed)
        : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
    } catch (err) {
      throw new InputError(
        'evidence.badKey',
        'the signing key is neither a PKCS8 PEM private key nor base64 of PKCS8 DER (e.g. `openssl genpkey -algorithm ed25519`)',
        { cause: err },
      );
    }
    return new SigningKey(key, source);
  }

  /** The public key object. */
  get publicKey(): KeyObject {
    return this.#publicKey;
  }

  /** The Ed25519 signature of `message`. */
  sign(message: Buffer): Buffer {
    return sign(null, message, this.#privateKey);
  }

  /** The private key as PKCS8 PEM text, to write the key file (mode 0600). */
  exportPrivatePem(): string {
    return this.#privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  }

  toString(): string {
    return `[Ed25519 signing key ${this.keyId}]`;
  }

  toJSON(): { keyId: string; source: string } {
    return { keyId: this.keyId, source: this.source };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
