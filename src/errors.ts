/**
 * The one error tree of Traceprop. Every error carries a namespaced `code`
 * (`graph.unavailable`, `ingest.badCsv`, …), whether retrying may help, and its `cause`.
 *
 * @example
 * throw new TracepropError('ingest.missingColumn', `bureau.csv: column SK_ID_CURR is missing (found: ${cols})`);
 */
export class TracepropError extends Error {
  /** Namespaced machine-readable code, e.g. `graph.unavailable`. */
  readonly code: string;
  /** True when the same call may succeed later (service down, lock timeout). */
  readonly retriable: boolean;
  /** Process exit code the CLI uses for this error. */
  readonly exitCode: number;

  constructor(code: string, message: string, options: TracepropErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TracepropError';
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.exitCode = options.exitCode ?? 1;
  }
}

/** Options shared by every {@link TracepropError}. */
export interface TracepropErrorOptions {
  cause?: unknown;
  retriable?: boolean;
  exitCode?: number;
}

/** Exit codes of the CLI. */
export const ExitCode = {
  failure: 1,
  usage: 2,
  unavailable: 3,
} as const;

/** Bad arguments or options given by the user (CLI exit code 2). */
export class UsageError extends TracepropError {
  constructor(code: string, message: string, options: TracepropErrorOptions = {}) {
    super(code, message, { exitCode: ExitCode.usage, ...options });
    this.name = 'UsageError';
  }
}

/** A service (Neo4j, Redis) cannot be reached (CLI exit code 3). */
export class ServiceUnavailableError extends TracepropError {
  constructor(code: string, message: string, options: TracepropErrorOptions = {}) {
    super(code, message, { exitCode: ExitCode.unavailable, retriable: true, ...options });
    this.name = 'ServiceUnavailableError';
  }
}

/** Input data that cannot be used as given: malformed CSV, missing columns, wrong types. */
export class InputError extends TracepropError {
  constructor(code: string, message: string, options: TracepropErrorOptions = {}) {
    super(code, message, options);
    this.name = 'InputError';
  }
}

/** Something that was asked for by id does not exist. */
export class NotFoundError extends TracepropError {
  constructor(code: string, message: string, options: TracepropErrorOptions = {}) {
    super(code, message, options);
    this.name = 'NotFoundError';
  }
}

/** True when `err` is a {@link TracepropError} with the given code. */
export function hasCode(err: unknown, code: string): boolean {
  return err instanceof TracepropError && err.code === code;
}
