import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../config.js';
import { NotFoundError } from '../errors.js';

/** Root of the Cypher folders (`cypher/ingest`, `cypher/queries`, `cypher/schema`, `cypher/jobs/unlearning`, `cypher/write-back`, `cypher/erasure`, `cypher/subjects`, `cypher/workbench`, …). */
const cypherRoot = path.join(packageRoot, 'cypher');

/**
 * The folders of {@link cypherRoot} that hold one operation per file (`schema` also holds the
 * numbered schema files, read statement by statement by `schema.ts`).
 */
export type CypherFolder =
  | 'ingest'
  | 'queries'
  | 'load-csv'
  | 'erasure'
  | 'health'
  | 'subjects'
  | 'schema'
  | 'jobs/train'
  | 'jobs/attribution'
  | 'jobs/unlearning'
  | 'jobs/predictions'
  | 'write-back'
  | 'access'
  | 'serve'
  | 'workbench'
  | 'evidence'
  | 'report'
  | 'openlineage'
  | 'bench';

/** One Cypher file: its text and the `//` comment lines it opens with (the auditor's question). */
export interface CypherFile {
  /** Name without `.cypher`, e.g. `sources-of-sample`. */
  name: string;
  /** Absolute path. */
  path: string;
  /** The whole file, comments included (Cypher accepts `//` comments). */
  text: string;
  /** The leading `//` comment lines, without the `//`, joined by newlines. */
  description: string;
}

const cache = new Map<string, CypherFile>();

/**
 * Reads `cypher/<folder>/<name>.cypher` (cached after the first read). Throws
 * `cypher.fileNotFound` (a NotFoundError) when there is no such file.
 *
 * @example
 * const { text } = cypherFile('queries', 'sources-of-sample');
 * await session.executeRead((tx) => tx.run(text, { sampleId }));
 */
export function cypherFile(folder: CypherFolder, name: string): CypherFile {
  const key = `${folder}/${name}`;
  const hit = cache.get(key);
  if (hit) return hit;
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) {
    throw new NotFoundError(
      'cypher.fileNotFound',
      `no Cypher file named ${JSON.stringify(name)} in cypher/${folder}/ (names are kebab-case, e.g. sources-of-sample)`,
    );
  }
  const file = path.join(cypherRoot, folder, `${name}.cypher`);
  if (!fs.existsSync(file)) {
    const known = fs
      .readdirSync(path.join(cypherRoot, folder))
      .filter((f) => f.endsWith('.cypher'))
      .map((f) => f.slice(0, -7));
    throw new NotFoundError(
      'cypher.fileNotFound',
      `no Cypher file named ${JSON.stringify(name)} in cypher/${folder}/ (known: ${known.join(', ')})`,
    );
  }
  const loaded = readCypherFile(file);
  cache.set(key, loaded);
  return loaded;
}

/** The Cypher text of `cypher/<folder>/<name>.cypher`. */
export function cypherText(folder: CypherFolder, name: string): string {
  return cypherFile(folder, name).text;
}

/** Reads any `.cypher` file (not cached). Throws `cypher.fileNotFound` when it cannot be read. */
export function readCypherFile(file: string): CypherFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new NotFoundError(
      'cypher.fileNotFound',
      `cannot read the Cypher file ${file}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  return { name: path.basename(file, '.cypher'), path: file, text, description: leadingComment(text) };
}

/** Lists the `.cypher` files of a folder, sorted by name. */
export function listCypherFiles(folder: CypherFolder): CypherFile[] {
  const dir = path.join(cypherRoot, folder);
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.cypher'))
    .sort()
    .map((name) => cypherFile(folder, name.slice(0, -'.cypher'.length)));
}

function leadingComment(text: string): string {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('//')) break;
    lines.push(trimmed.slice(2).trim());
  }
  return lines.join('\n');
}
