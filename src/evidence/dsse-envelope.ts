import type { KeyObject } from 'node:crypto';
import { InputError } from '../errors.js';
import { pae } from './pae.js';
import { type SigningKey, verifyEd25519 } from './signing-key.js';

/** The payload type of every Traceprop envelope: an in-toto Statement in JSON. */
const inTotoPayloadType = 'application/vnd.in-toto+json';

/** One signature of a DSSE envelope. */
interface DsseSignature {
  /** Id of the signing key (hex SHA-256 of its SPKI DER). */
  keyid: string;
  /** Base64 Ed25519 signature of PAE(payloadType, payload). */
  sig: string;
}

/** A DSSE envelope (https://github.com/secure-systems-lab/dsse, envelope.md). */
export interface DsseEnvelope {
  payloadType: string;
  /** Base64 of the payload bytes. */
  payload: string;
  signatures: DsseSignature[];
}

/**
 * Signs `payload` with every key of `keys` (a key rotation is signed by the old key and the new)
 * and wraps it in a DSSE envelope.
 */
export function signEnvelope(
  payload: Buffer,
  keys: readonly SigningKey[],
  payloadType = inTotoPayloadType,
): DsseEnvelope {
  const message = pae(payloadType, payload);
  return {
    payloadType,
    payload: payload.toString('base64'),
    signatures: keys.map((key) => ({ keyid: key.keyId, sig: key.sign(message).toString('base64') })),
  };
}

/** True when some signature of the envelope under `keyId` verifies with `publicKey`. */
export function envelopeSignedBy(envelope: DsseEnvelope, keyId: string, publicKey: KeyObject): boolean {
  const message = pae(envelope.payloadType, Buffer.from(envelope.payload, 'base64'));
  return envelope.signatures.some(
    (s) => s.keyid === keyId && verifyEd25519(publicKey, message, Buffer.from(s.sig, 'base64')),
  );
}

/**
 * Parses a DSSE envelope from JSON text, checking its shape (not its signatures). Throws
 * `evidence.badEnvelope`.
 */
export function parseEnvelope(text: string): DsseEnvelope {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InputError('evidence.badEnvelope', `a DSSE envelope is JSON, got: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const e = value as Partial<DsseEnvelope>;
  const ok =
    typeof e === 'object' &&
    e !== null &&
    typeof e.payloadType === 'string' &&
    typeof e.payload === 'string' &&
    Array.isArray(e.signatures) &&
    e.signatures.every((s) => typeof s?.keyid === 'string' && typeof s?.sig === 'string');
  if (!ok)
    throw new InputError(
      'evidence.badEnvelope',
      'a DSSE envelope has a string payloadType, a base64 payload and signatures [{keyid, sig}]',
    );
  return {
    payloadType: e.payloadType as string,
    payload: e.payload as string,
    signatures: e.signatures as DsseSignature[],
  };
}

/**
 * The envelope as the log stores and hashes it: JSON with keys in a fixed order and no spaces.
 * The log entry is these exact bytes; nothing re-serialises them afterwards.
 */
export function serialiseEnvelope(envelope: DsseEnvelope): string {
  return JSON.stringify({
    payloadType: envelope.payloadType,
    payload: envelope.payload,
    signatures: envelope.signatures.map((s) => ({ keyid: s.keyid, sig: s.sig })),
  });
}
