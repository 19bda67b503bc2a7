import fs from 'node:fs/promises';
import path from 'node:path';
import { InputError, NotFoundError } from '../errors.js';
import type { ArtifactStore } from './artifact-store.js';

/**
 * An {@link ArtifactStore} in a local folder (for example a mount every host shares): the key
 * `a/b/c` is the file `<root>/a/b/c`. Objects are written to a temporary file and renamed, so a
 * reader sees a whole object or none.
 */
export class LocalFolderStore implements ArtifactStore {
  readonly location: string;

  constructor(private readonly root: string) {
    this.location = root;
  }

  async putFile(key: string, file: string): Promise<void> {
    const target = this.fileOf(key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const tmp = temporary(target);
    await fs.copyFile(file, tmp);
    await fs.rename(tmp, target);
  }

  async putBytes(key: string, bytes: Uint8Array): Promise<void> {
    const target = this.fileOf(key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const tmp = temporary(target);
    await fs.writeFile(tmp, bytes);
    await fs.rename(tmp, target);
  }

  async getFile(key: string, file: string): Promise<void> {
    const tmp = temporary(file);
    await fs.mkdir(path.dirname(file), { recursive: true });
    try {
      await fs.copyFile(this.fileOf(key), tmp);
    } catch (err) {
      throw this.missing(key, err);
    }
    await fs.rename(tmp, file);
  }

  async getBytes(key: string): Promise<Uint8Array> {
    try {
      return new Uint8Array(await fs.readFile(this.fileOf(key)));
    } catch (err) {
      throw this.missing(key, err);
    }
  }

  async exists(key: string): Promise<boolean> {
    return fs
      .stat(this.fileOf(key))
      .then((s) => s.isFile())
      .catch(() => false);
  }

  async delete(key: string): Promise<boolean> {
    const file = this.fileOf(key);
    const existed = await this.exists(key);
    await fs.rm(file, { force: true });
    return existed;
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    const walk = async (dir: string, rel: string): Promise<void> => {
      const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const e of entries) {
        const key = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) await walk(path.join(dir, e.name), key);
        else if (e.isFile() && key.startsWith(prefix) && !/\.\d+\.tmp$/.test(e.name)) keys.push(key);
      }
    };
    // Walk only the folder the prefix's directory part names.
    const cut = prefix.lastIndexOf('/');
    const base = cut < 0 ? '' : prefix.slice(0, cut);
    await walk(base ? this.fileOf(base) : this.root, base);
    return keys.sort();
  }

  private fileOf(key: string): string {
    const parts = key.split('/');
    if (key.startsWith('/') || parts.some((p) => p === '' || p === '.' || p === '..'))
      throw new InputError(
        'artifacts.badKey',
        `artifact key "${key}" is not a relative key without . or .. parts`,
      );
    return path.join(this.root, ...parts);
  }

  private missing(key: string, err: unknown): Error {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      return new NotFoundError('artifacts.notFound', `no artifact ${key} in ${this.location}`, {
        cause: err,
      });
    return err as Error;
  }
}

function temporary(file: string): string {
  return `${file}.${process.pid}.${Math.floor(Math.random() * 1e9)}.tmp`;
}
