import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import type { ArtifactStore } from '../../src/artifacts/artifact-store.js';
import { LocalFolderStore } from '../../src/artifacts/local-folder-store.js';
import { S3ArtifactStore } from '../../src/artifacts/s3-artifact-store.js';
import { downloadVerified, sha256OfFile } from '../../src/artifacts/verified-download.js';
import { loadConfig } from '../../src/config.js';
import { hasCode, TracepropError } from '../../src/errors.js';
import { useS3Server } from '../support/s3-server.js';

/** A fresh temporary folder, removed after the test. */
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-artifacts-'));
  afterEachCleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
const afterEachCleanups: Array<() => void> = [];

describe('artifact stores', () => {
  const s3 = useS3Server();
  const stores: S3ArtifactStore[] = [];
  afterEach(() => {
    for (const c of afterEachCleanups.splice(0)) c();
    for (const s of stores.splice(0)) s.close();
  });
  const s3Store = (prefix: string, partBytes?: number) => {
    const store = new S3ArtifactStore(s3().config(prefix), partBytes ? { partBytes } : {});
    stores.push(store);
    return store;
  };

  for (const kind of ['local folder', 's3'] as const) {
    it(`${kind}: puts, gets, lists and deletes bytes and files`, async () => {
      const store: ArtifactStore =
        kind === 's3' ? s3Store(`rt-${Date.now()}`) : new LocalFolderStore(tempDir());
      const dir = tempDir();
      const bytes = randomBytes(1000);
      await store.putBytes('runs/r1/matrix.json', bytes);
      assert.deepEqual(Buffer.from(await store.getBytes('runs/r1/matrix.json')), bytes);
      const file = path.join(dir, 'in.bin');
      fs.writeFileSync(file, randomBytes(70_000));
      await store.putFile('runs/r1/matrix.abc.bin', file);
      await store.getFile('runs/r1/matrix.abc.bin', path.join(dir, 'sub', 'out.bin'));
      assert.deepEqual(fs.readFileSync(path.join(dir, 'sub', 'out.bin')), fs.readFileSync(file));
      await store.putBytes('runs/r10/matrix.json', bytes);
      assert.deepEqual(await store.list('runs/r1/'), ['runs/r1/matrix.abc.bin', 'runs/r1/matrix.json']);
      assert.equal(await store.exists('runs/r1/matrix.json'), true);
      assert.equal(await store.delete('runs/r1/matrix.json'), true);
      assert.equal(await store.delete('runs/r1/matrix.json'), false);
      assert.equal(await store.exists('runs/r1/matrix.json'), false);
      await assert.rejects(store.getBytes('runs/r1/matrix.json'), (err) =>
        hasCode(err, 'artifacts.notFound'),
      );
      await assert.rejects(store.getFile('nothing/here', path.join(dir, 'x.bin')), (err) =>
        hasCode(err, 'artifacts.notFound'),
      );
      assert.equal(fs.existsSync(path.join(dir, 'x.bin')), false);
    });
  }

  it('verifies a download against its sha256: a corrupted object is refused and leaves no file', async () => {
    const store = s3Store(`verify-${Date.now()}`);
    const dir = tempDir();
    const file = path.join(dir, 'params.bin');
    fs.writeFileSync(file, randomBytes(4096));
    const sha = await sha256OfFile(file);
    await store.putFile(`models/m/params.${sha}.bin`, file);
    await downloadVerified(store, `models/m/params.${sha}.bin`, sha, path.join(dir, 'ok.bin'));
    assert.deepEqual(fs.readFileSync(path.join(dir, 'ok.bin')), fs.readFileSync(file));
    // One flipped byte in the bucket.
    const altered = fs.readFileSync(file);
    altered[100] ^= 0xff;
    await store.putBytes(`models/m/params.${sha}.bin`, altered);
    await assert.rejects(
      downloadVerified(store, `models/m/params.${sha}.bin`, sha, path.join(dir, 'bad.bin')),
      (err) => {
        assert.ok(hasCode(err, 'artifacts.digestMismatch'), String(err));
        assert.match((err as Error).message, new RegExp(sha));
        return true;
      },
    );
    assert.deepEqual(fs.readdirSync(dir).sort(), ['ok.bin', 'params.bin']);
  });

  it('uploads a file larger than one part as a multipart upload', async function () {
    this.timeout(60_000);
    const store = s3Store(`multi-${Date.now()}`, 5 * 1024 * 1024);
    const dir = tempDir();
    const file = path.join(dir, 'big.bin');
    fs.writeFileSync(file, randomBytes(12 * 1024 * 1024 + 123));
    const sha = await sha256OfFile(file);
    const before = s3().log.length;
    await store.putFile(`runs/big/matrix.${sha}.bin`, file);
    const parts = s3()
      .log.slice(before)
      .filter((l) => /UploadPart\b/.test(l));
    assert.equal(parts.length, 3, s3().log.slice(before).join('\n'));
    await downloadVerified(store, `runs/big/matrix.${sha}.bin`, sha, path.join(dir, 'back.bin'));
    assert.equal(fs.statSync(path.join(dir, 'back.bin')).size, 12 * 1024 * 1024 + 123);
  });

  it('keeps the secret key out of errors, their causes and the store itself', async () => {
    const secret = `sekrit-${randomBytes(12).toString('hex')}`;
    const store = new S3ArtifactStore({
      ...s3().config('secrets'),
      credentials: { accessKeyId: 'NOT-A-KEY', secretAccessKey: secret, sessionToken: `tok-${secret}` },
    });
    stores.push(store);
    let caught: unknown;
    try {
      await store.putBytes('x/y', Buffer.from('z'));
    } catch (err) {
      caught = err;
    }
    assert.ok(caught instanceof TracepropError, String(caught));
    assert.equal(caught.code, 'artifacts.refused');
    for (const text of [
      caught.message,
      String(caught.stack),
      inspect(caught, { depth: 8 }),
      JSON.stringify(caught),
      inspect(store, { depth: 8 }),
    ])
      assert.ok(!text.includes(secret), text);
    // A URL with credentials in it is refused without echoing them.
    assert.throws(
      () => loadConfig({ TRACEPROP_ARTIFACTS: `s3://AKIAEXAMPLE:${secret}@bucket/prefix` }),
      (err) => hasCode(err, 'config.badArtifacts') && !(err as Error).message.includes(secret),
    );
    assert.throws(
      () =>
        loadConfig({
          TRACEPROP_ARTIFACTS: 's3://bucket/p',
          AWS_ENDPOINT_URL_S3: `http://u:${secret}@host:9000`,
        }),
      (err) => hasCode(err, 'config.badArtifacts') && !(err as Error).message.includes(secret),
    );
  });

  it('reads TRACEPROP_ARTIFACTS and the AWS variables in src/config.ts', () => {
    const home = path.join(os.tmpdir(), 'h');
    assert.deepEqual(loadConfig({ TRACEPROP_HOME: home }).artifacts, { kind: 'home' });
    assert.deepEqual(loadConfig({ TRACEPROP_HOME: home, TRACEPROP_ARTIFACTS: home }).artifacts, {
      kind: 'home',
    });
    assert.deepEqual(loadConfig({ TRACEPROP_HOME: home, TRACEPROP_ARTIFACTS: '/mnt/shared' }).artifacts, {
      kind: 'folder',
      dir: '/mnt/shared',
    });
    assert.deepEqual(
      loadConfig({
        TRACEPROP_ARTIFACTS: 's3://my-bucket/a/b/',
        AWS_ENDPOINT_URL: 'http://127.0.0.1:9000/',
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'k',
        AWS_SECRET_ACCESS_KEY: 's',
      }).artifacts,
      {
        kind: 's3',
        bucket: 'my-bucket',
        prefix: 'a/b',
        endpoint: 'http://127.0.0.1:9000',
        region: 'eu-west-1',
        forcePathStyle: true,
        credentials: { accessKeyId: 'k', secretAccessKey: 's' },
      },
    );
    const aws = loadConfig({
      TRACEPROP_ARTIFACTS: 's3://b-1',
      TRACEPROP_S3_FORCE_PATH_STYLE: 'true',
    }).artifacts;
    assert.deepEqual(aws, {
      kind: 's3',
      bucket: 'b-1',
      prefix: '',
      region: 'us-east-1',
      forcePathStyle: true,
    });
    assert.throws(
      () => loadConfig({ TRACEPROP_ARTIFACTS: 's3://b-1', AWS_ACCESS_KEY_ID: 'k' }),
      (err) => hasCode(err, 'config.badArtifacts'),
    );
    assert.throws(
      () => loadConfig({ TRACEPROP_ARTIFACTS: 'gs://b-1/x' }),
      (err) => hasCode(err, 'config.badArtifacts'),
    );
  });
});
