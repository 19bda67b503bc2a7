import { type ErrorCodeOf, UsageError } from '../errors.js';

/** Where in a pipeline file a problem is. */
export interface SpecLocation {
  /** The file as given (or `<text>` for text without a file). */
  readonly file: string;
  /** YAML path, e.g. `steps[2].where`; `''` for the whole document. */
  readonly path: string;
  /** 1-based line, when known. */
  readonly line?: number;
  /** 1-based column, when known. */
  readonly column?: number;
}

/**
 * A pipeline file that cannot be used: bad YAML, wrong format, schema violations, and semantic
 * errors (unknown step or column, cycle, type error). The message starts with
 * `file:line: path:` and says what was expected and what was got. CLI exit code 2.
 *
 * @example
 * // pipelines/berka.yaml:14: steps[1].where: expression "amount > 'x'": operator > expects two numbers or two dates, got number > string
 */
export class PipelineSpecError extends UsageError {
  /** The location of the problem. */
  readonly location: SpecLocation;
  /** The message without the location prefix. */
  readonly detail: string;

  constructor(
    code: ErrorCodeOf<'UsageError'>,
    location: SpecLocation,
    detail: string,
    options: { cause?: unknown } = {},
  ) {
    super(code, `${formatLocation(location)}: ${detail}`, options);
    this.name = 'PipelineSpecError';
    this.location = location;
    this.detail = detail;
  }
}

/** `file:line: path` (parts that are unknown are left out). */
function formatLocation(loc: SpecLocation): string {
  const head = loc.line === undefined ? loc.file : `${loc.file}:${loc.line}`;
  return loc.path ? `${head}: ${loc.path}` : head;
}

/** A YAML path as text: `['steps', 2, 'where']` → `steps[2].where`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}
