import type { EventStatement } from './record-statement.js';
import type { SigningKey } from './signing-key.js';

/**
 * The `key` statement of a key change (predicate type `https://traceprop.dev/key/v1`): `init`
 * names the first key; `rotate` names the old and the new key and is signed by both, so the
 * chain of keys can be followed from the first one. Subjects: the keys' SPKI DER by sha256
 * (their key ids).
 */
export function keyStatement(
  action: 'init' | 'rotate',
  key: SigningKey,
  previous?: SigningKey,
): EventStatement {
  const subject = [{ name: `key:${key.keyId}`, digest: { sha256: key.keyId } }];
  if (previous) subject.unshift({ name: `key:${previous.keyId}`, digest: { sha256: previous.keyId } });
  return {
    kind: 'key',
    subject,
    ref: key.keyId,
    predicate: {
      action,
      keyId: key.keyId,
      publicKey: key.publicKeyPem,
      algorithm: 'ed25519',
      ...(previous ? { previousKeyId: previous.keyId } : {}),
    },
  };
}
