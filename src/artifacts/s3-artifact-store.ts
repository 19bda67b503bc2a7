import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { S3ArtifactsConfig } from '../config.js';
import { defaults } from '../defaults.js';
import { NotFoundError, ServiceUnavailableError, TracepropError } from '../errors.js';
import type { ArtifactStore } from './artifact-store.js';

/** Options of {@link S3ArtifactStore} beyond the bucket's configuration. */
export interface S3ArtifactStoreOptions {
  /** Part size of multipart uploads in bytes (≥ 5 MiB); files larger than one part use them. */
  partBytes?: number;
}

/**
 * An {@link ArtifactStore} in an S3 bucket (AWS or an S3-compatible server: MinIO, Ceph, s3rver)
 * under a key prefix, with the AWS SDK v3. Files larger than one part are sent as a multipart
 * upload (`@aws-sdk/lib-storage`). The SDK's own checksums are asked for only where S3 requires
 * them (several S3-compatible servers reject the others); the readers verify every binary
 * against the sha256 its key names instead. Errors never carry a credential: the SDK's error is
 * summarised (name, HTTP status, message with any secret blanked), not attached.
 */
export class S3ArtifactStore implements ArtifactStore {
  readonly location: string;
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;
  readonly #partBytes: number;
  readonly #secrets: string[];

  constructor(config: S3ArtifactsConfig, options: S3ArtifactStoreOptions = {}) {
    this.#bucket = config.bucket;
    this.#prefix = config.prefix ? `${config.prefix}/` : '';
    this.location = `s3://${config.bucket}/${config.prefix}`.replace(/\/$/, '');
    this.#partBytes = Math.max(5 * 1024 * 1024, options.partBytes ?? defaults.s3PartBytes);
    this.#secrets = [config.credentials?.secretAccessKey, config.credentials?.sessionToken].filter(
      (s): s is string => Boolean(s),
    );
    this.#client = new S3Client({
      region: config.region,
      forcePathStyle: config.forcePathStyle,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      ...(config.credentials ? { credentials: config.credentials } : {}),
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async putFile(key: string, file: string): Promise<void> {
    const size = (await fsp.stat(file)).size;
    const target = { Bucket: this.#bucket, Key: this.#prefix + key };
    await this.#call('put', key, async () => {
      if (size <= this.#partBytes) {
        await this.#client.send(
          new PutObjectCommand({ ...target, Body: await fsp.readFile(file), ContentLength: size }),
        );
        return;
      }
      const upload = new Upload({
        client: this.#client,
        params: { ...target, Body: fs.createReadStream(file) },
        partSize: this.#partBytes,
        queueSize: 2,
        leavePartsOnError: false,
      });
      await upload.done();
    });
  }

  async putBytes(key: string, bytes: Uint8Array): Promise<void> {
    await this.#call('put', key, () =>
      this.#client.send(new PutObjectCommand({ Bucket: this.#bucket, Key: this.#prefix + key, Body: bytes })),
    );
  }

  async getFile(key: string, file: string): Promise<void> {
    await fsp.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${Math.floor(Math.random() * 1e9)}.tmp`;
    try {
      await this.#call('get', key, async () => {
        const out = await this.#client.send(
          new GetObjectCommand({ Bucket: this.#bucket, Key: this.#prefix + key }),
        );
        await pipeline(out.Body as Readable, fs.createWriteStream(tmp));
      });
      await fsp.rename(tmp, file);
    } finally {
      await fsp.rm(tmp, { force: true });
    }
  }

  async getBytes(key: string): Promise<Uint8Array> {
    return this.#call('get', key, async () => {
      const out = await this.#client.send(
        new GetObjectCommand({ Bucket: this.#bucket, Key: this.#prefix + key }),
      );
      return (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
    });
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.#call('head', key, () =>
        this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: this.#prefix + key })),
      );
      return true;
    } catch (err) {
      if (err instanceof NotFoundError) return false;
      throw err;
    }
  }

  async delete(key: string): Promise<boolean> {
    const existed = await this.exists(key);
    await this.#call('delete', key, () =>
      this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: this.#prefix + key })),
    );
    return existed;
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.#call('list', prefix, () =>
        this.#client.send(
          new ListObjectsV2Command({
            Bucket: this.#bucket,
            Prefix: this.#prefix + prefix,
            ...(token ? { ContinuationToken: token } : {}),
          }),
        ),
      );
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key.slice(this.#prefix.length));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  /** Closes the SDK client's connections. */
  close(): void {
    this.#client.destroy();
  }

  /** Runs one S3 call, turning its failure into a Traceprop error without credentials. */
  async #call<T>(op: string, key: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw this.#translate(op, key, err);
    }
  }

  #translate(op: string, key: string, err: unknown): TracepropError {
    const e = err as {
      name?: string;
      message?: string;
      code?: string;
      $fault?: string;
      $metadata?: { httpStatusCode?: number };
    };
    const status = e.$metadata?.httpStatusCode;
    const name = e.name ?? e.code ?? 'Error';
    const what = `${op} of ${this.location}/${key}`;
    const detail = this.#redact(`${name}${status ? ` (HTTP ${status})` : ''}: ${e.message ?? String(err)}`);
    if (status === 404 || name === 'NoSuchKey' || name === 'NotFound')
      return new NotFoundError('artifacts.notFound', `no artifact ${key} in ${this.location}`);
    const network =
      !status && (e.code !== undefined || name === 'TimeoutError' || /ECONN|EPIPE|socket/i.test(detail));
    if (network || (status !== undefined && (status >= 500 || status === 429)) || e.$fault === 'server')
      return new ServiceUnavailableError(
        'artifacts.unavailable',
        `artifact store: ${what} failed: ${detail}`,
      );
    return new TracepropError('artifacts.refused', `artifact store: ${what} was refused: ${detail}`);
  }

  #redact(text: string): string {
    let out = text;
    for (const s of this.#secrets) out = out.split(s).join('[redacted]');
    return out;
  }
}
