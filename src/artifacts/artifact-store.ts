/**
 * A flat store of artifact objects by key (`runs/<id>/matrix.json`, `models/<id>/params.<sha256>.bin`):
 * a shared folder or an S3-compatible bucket (see docs/object-storage.md). Keys use `/` as the
 * separator and never start with one. Every method is idempotent where it can be.
 */
export interface ArtifactStore {
  /** Where it is, for messages and logs (e.g. `s3://bucket/prefix`); never holds a secret. */
  readonly location: string;
  /** Stores the file `file` under `key` (replacing any object there). */
  putFile(key: string, file: string): Promise<void>;
  /** Stores `bytes` under `key` (replacing any object there). */
  putBytes(key: string, bytes: Uint8Array): Promise<void>;
  /**
   * Copies the object at `key` into the local file `file` (written whole or not at all).
   *
   * @throws NotFoundError `artifacts.notFound` when there is no such object.
   */
  getFile(key: string, file: string): Promise<void>;
  /**
   * The bytes of the object at `key`.
   *
   * @throws NotFoundError `artifacts.notFound` when there is no such object.
   */
  getBytes(key: string): Promise<Uint8Array>;
  /** Whether an object is stored at `key`. */
  exists(key: string): Promise<boolean>;
  /** Deletes the object at `key`; returns whether there was one. */
  delete(key: string): Promise<boolean>;
  /** Keys of the objects whose key starts with `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
}
