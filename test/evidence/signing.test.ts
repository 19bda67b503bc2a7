import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { envelopeSignedBy, serialiseEnvelope, signEnvelope } from '../../src/evidence/dsse-envelope.js';
import { buildStatement, statementOfPayload } from '../../src/evidence/in-toto-statement.js';
import {
  generateSigningKey,
  resolveSigningKey,
  signingKeyFile,
  writeKeyFile,
} from '../../src/evidence/key-file.js';
import { pae } from '../../src/evidence/pae.js';
import { keyIdOf, SigningKey } from '../../src/evidence/signing-key.js';
import { signTreeHead, treeHeadSignedBy } from '../../src/evidence/tree-head.js';
import { codeOf } from './support.js';

describe('signing: DSSE envelopes, in-toto statements, Ed25519 keys (src/evidence)', () => {
  let home: string;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-evidence-keys-'));
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('encodes PAE as the DSSE spec example does', () => {
    assert.equal(
      pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString(),
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
    // Lengths are byte counts, not characters.
    assert.equal(pae('t', Buffer.from('é')).toString(), 'DSSEv1 1 t 2 é');
  });

  it('signs an in-toto statement in an envelope that verifies, and fails on a changed payload, type or key', () => {
    const key = generateSigningKey();
    const statement = buildStatement('run', [{ name: 'a.csv', digest: { sha256: 'a'.repeat(64) } }], {
      runId: 'r1',
      samples: 3,
    });
    assert.equal(statement._type, 'https://in-toto.io/Statement/v1');
    assert.equal(statement.predicateType, 'https://traceprop.dev/run/v1');
    assert.equal(
      statement.predicate.codeVersion,
      JSON.parse(fs.readFileSync('package.json', 'utf8')).version,
    );
    const envelope = signEnvelope(Buffer.from(JSON.stringify(statement)), [key]);
    assert.equal(envelope.payloadType, 'application/vnd.in-toto+json');
    assert.ok(envelopeSignedBy(envelope, key.keyId, key.publicKey));
    assert.deepEqual(statementOfPayload(envelope.payload), statement);
    const changed = { ...statement, predicate: { ...statement.predicate, samples: 4 } };
    const forged = { ...envelope, payload: Buffer.from(JSON.stringify(changed)).toString('base64') };
    assert.equal(envelopeSignedBy(forged, key.keyId, key.publicKey), false);
    assert.equal(
      envelopeSignedBy({ ...envelope, payloadType: 'application/json' }, key.keyId, key.publicKey),
      false,
    );
    const other = generateSigningKey();
    assert.equal(envelopeSignedBy(envelope, key.keyId, other.publicKey), false);
    assert.equal(
      JSON.parse(serialiseEnvelope(envelope)).signatures[0].keyid,
      key.keyId,
      'the serialised envelope keeps its signatures',
    );
  });

  it('refuses a subject without a sha256 digest', () => {
    assert.throws(() => buildStatement('run', [{ name: 'x', digest: { sha256: 'nope' } }], {}), {
      code: 'evidence.badStatement',
    });
  });

  it('signs tree heads over size, root and time', () => {
    const key = generateSigningKey();
    const head = signTreeHead(key, 5, Buffer.alloc(32, 7), '2026-12-05T17:00:00.000Z');
    assert.ok(treeHeadSignedBy(head, key.publicKey));
    assert.equal(treeHeadSignedBy({ ...head, size: 6 }, key.publicKey), false);
    assert.equal(treeHeadSignedBy({ ...head, rootHash: 'ff'.repeat(32) }, key.publicKey), false);
    assert.equal(treeHeadSignedBy({ ...head, at: '2026-12-05T17:00:01.000Z' }, key.publicKey), false);
  });

  it('names a key by the sha256 of its SPKI DER and never shows its private half', () => {
    const key = generateSigningKey();
    const der = createPublicKey(key.publicKeyPem).export({ type: 'spki', format: 'der' });
    assert.equal(key.keyId, createHash('sha256').update(der).digest('hex'));
    assert.equal(keyIdOf(key.publicKey), key.keyId);
    const pem = key.exportPrivatePem();
    for (const shown of [String(key), JSON.stringify(key), inspect(key), inspect({ key })]) {
      assert.ok(!shown.includes(pem.split('\n')[1]), shown);
      assert.ok(shown.includes(key.keyId.slice(0, 16)), shown);
    }
  });

  it('reads TRACEPROP_SIGNING_KEY as PEM or base64 PKCS8 DER, and refuses other keys without echoing them', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const b64 = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
    const a = resolveSigningKey({ home, signingKey: pem });
    const b = resolveSigningKey({ home, signingKey: b64 });
    assert.equal(a?.keyId, b?.keyId);
    assert.equal(a?.source, 'env');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    for (const bad of ['not a key', rsa]) {
      try {
        resolveSigningKey({ home, signingKey: bad });
        assert.fail('accepted');
      } catch (err) {
        assert.equal((err as { code?: string }).code, 'evidence.badKey');
        assert.ok(!(err as Error).message.includes(bad.length > 60 ? bad.slice(30, 60) : bad));
      }
    }
  });

  it('keeps the key file at mode 0600, refuses a second init and a file others can read; no file, no key', async () => {
    assert.equal(resolveSigningKey({ home }), undefined);
    const key = generateSigningKey();
    const file = signingKeyFile(home);
    writeKeyFile(file, key, true);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(resolveSigningKey({ home })?.keyId, key.keyId);
    assert.equal(resolveSigningKey({ home })?.source, 'file');
    assert.equal(
      await codeOf(Promise.resolve().then(() => writeKeyFile(file, generateSigningKey(), true))),
      'evidence.keyExists',
    );
    assert.equal(resolveSigningKey({ home })?.keyId, key.keyId, 'the refused init left the key alone');
    fs.chmodSync(file, 0o644);
    assert.equal(
      await codeOf(Promise.resolve().then(() => resolveSigningKey({ home }))),
      'evidence.keyFilePermissions',
    );
    assert.ok(SigningKey.parse(fs.readFileSync(file, 'utf8'), 'file'));
  });
});
