/**
 * A cache of schema-checked pipeline files under TRACEPROP_HOME (`<home>/cache/pipelines/`), so
 * that a process running an unchanged pipeline file neither loads nor runs the YAML parser and
 * the zod schema. An entry holds what the schema check gave for one text (the parsed pipeline,
 * defaults filled in); its name is the sha256 of the cache format, the Traceprop version, the
 * code of the schema modules ({@link schemaModules}) and the file's text, so any change to the
 * file or to the schema code misses. The semantic checks (`validatePipeline`: ids, inputs,
 * columns, expression types, compiled evaluators) run on every load, hit or miss.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { codeVersion } from '../util/code-version.js';
import type { PipelineSpec } from './pipeline-schema.js';
import { readPipelineFile } from './read-pipeline-file.js';
import { type ValidatedPipeline, validatePipeline } from './validate-pipeline.js';

const cacheFormat = 'traceprop.pipeline-cache/1';

/**
 * The compiled modules (relative to this one) whose code decides what the schema check gives
 * for a text: `pipeline-schema.js` and every module it imports, directly or not (a test keeps
 * the list complete).
 */
export const schemaModules: readonly string[] = [
  './pipeline-schema.js',
  './names.js',
  './source-schema.js',
  './step-schema.js',
  './subject-schema.js',
  '../expressions/date-pattern.js',
  '../expressions/dates.js',
];

/** The cache folder of a TRACEPROP_HOME. */
export function pipelineSpecCacheDir(home: string): string {
  return path.join(home, 'cache', 'pipelines');
}

/**
 * Loads a pipeline file like `loadPipelineSpec`, through the cache in `cacheDir`: on a hit the
 * stored schema-checked pipeline is validated again (semantic checks only); on a miss the file
 * is parsed and checked in full (the same errors, nothing stored) and, once valid, stored. An
 * entry that cannot be read, or that no longer validates, counts as a miss; a failed store is
 * ignored (the cache only saves work).
 *
 * @example
 * const p = await loadPipelineSpecCached('pipelines/credit-risk.yaml', pipelineSpecCacheDir(config.home));
 */
export async function loadPipelineSpecCached(file: string, cacheDir: string): Promise<ValidatedPipeline> {
  const text = readPipelineFile(file);
  const entry = path.join(cacheDir, `${cacheKey(text)}.json`);
  const hit = readEntry(entry);
  if (hit !== undefined) {
    try {
      return validatePipeline(hit, () => {
        throw new Error('stale pipeline cache entry');
      });
    } catch {
      // A stored pipeline that does not validate any more: parse the file again (below), which
      // reports the located error if the file itself is at fault.
    }
  }
  const { checkPipelineSchema } = await import('./load-pipeline-spec.js');
  const { spec, fail } = checkPipelineSchema(text, file);
  const json = JSON.stringify({ format: cacheFormat, spec });
  const storable = isDeepStrictEqual((JSON.parse(json) as { spec: unknown }).spec, spec);
  const validated = validatePipeline(spec, fail);
  if (storable) writeEntry(entry, json);
  return validated;
}

let schemaCode: string | undefined;

/** The sha256 naming the entry of a pipeline text. */
function cacheKey(text: string): string {
  schemaCode ??= schemaModules.map((m) => fs.readFileSync(new URL(m, import.meta.url), 'utf8')).join('\0');
  return createHash('sha256')
    .update(`${cacheFormat}\0${codeVersion()}\0${schemaCode}\0`)
    .update(text)
    .digest('hex');
}

function readEntry(file: string): PipelineSpec | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined; // absent or unreadable: a miss
  }
  const e = raw as { format?: unknown; spec?: unknown };
  const ok = e !== null && typeof e === 'object' && e.format === cacheFormat && typeof e.spec === 'object';
  return ok && e.spec !== null ? (e.spec as PipelineSpec) : undefined;
}

/** Writes an entry whole (a temporary file renamed over it), or not at all. */
function writeEntry(file: string, json: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, json);
    fs.renameSync(tmp, file);
  } catch {
    fs.rmSync(tmp, { force: true }); // a read-only or full home: run without the cache
  }
}
