import { type ErrorCode, type ErrorCodeOf, ExitCode, errorEntry } from './error-catalogue.js';

export { type ErrorCode, type ErrorCodeOf, ExitCode } from './error-catalogue.js';

/**
 * The one error tree of Traceprop. Every error carries a namespaced `code` from the catalogue
 * (`src/error-catalogue.ts`: `graph.unavailable`, `ingest.badCsv`, …), whether retrying may help,
 * the CLI exit code and its `cause`. The code decides `retriable` and `exitCode` (read from the
 * catalogue), so a throw site cannot disagree with `docs/errors.md`.
 *
 * @example
 * throw new InputError('ingest.missingColumn', `bureau.csv: column SK_ID_CURR is missing (found: ${cols})`);
 */
export class TracepropError extends Error {
  /** Class defaults, used only for a code missing from the catalogue (test fixtures cast one in). */
  protected static readonly fallback: { exitCode: number; retriable: boolean } = {
    exitCode: ExitCode.failure,
    retriable: false,
  };

  /** Namespaced machine-readable code, e.g. `graph.unavailable`. */
  readonly code: ErrorCode;
  /** True when the same call may succeed later (service down, lock timeout). */
  readonly retriable: boolean;
  /** Process exit code the CLI uses for this error. */
  readonly exitCode: number;

  /** Direct use: only for codes the catalogue gives the class `TracepropError` (checked by a test). */
  constructor(code: ErrorCode, message: string, options: TracepropErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TracepropError';
    this.code = code;
    const known = errorEntry(code);
    const entry = known ?? (new.target as typeof TracepropError).fallback;
    // `fromCause` codes wrap another Traceprop error and keep its exit code and retriable flag.
    const inherited = known?.fromCause && options.cause instanceof TracepropError ? options.cause : undefined;
    this.retriable = inherited?.retriable ?? entry.retriable;
    this.exitCode = inherited?.exitCode ?? entry.exitCode;
  }
}

/** Options shared by every {@link TracepropError}. Exit code and retriable come from the code. */
export interface TracepropErrorOptions {
  cause?: unknown;
}

/** Bad arguments or options given by the user (CLI exit code 2). */
export class UsageError extends TracepropError {
  protected static override readonly fallback = { exitCode: ExitCode.usage, retriable: false };

  constructor(code: ErrorCodeOf<'UsageError'>, message: string, options: TracepropErrorOptions = {}) {
    super(code, message, options);
    this.name = 'UsageError';
  }

  /**
   * `err` (any Traceprop error) raised again as a usage error with its code and message: exit
   * code 2, not retriable. For a check the CLI runs on an argument before any work (catalogue
   * entries marked `alsoUsage`).
   */
  static from(err: TracepropError): UsageError {
    const usage = new UsageError(err.code as ErrorCodeOf<'UsageError'>, err.message, { cause: err });
    Object.assign(usage, { exitCode: ExitCode.usage, retriable: false });
    return usage;
  }
}

/** A service (Neo4j, Redis) cannot be reached (CLI exit code 3). */
export class ServiceUnavailableError extends TracepropError {
  protected static override readonly fallback = { exitCode: ExitCode.unavailable, retriable: true };

  constructor(
    code: ErrorCodeOf<'ServiceUnavailableError'>,
    message: string,
    options: TracepropErrorOptions = {},
  ) {
    super(code, message, options);
    this.name = 'ServiceUnavailableError';
  }
}

/** Input data that cannot be used as given: malformed CSV, missing columns, wrong types. */
export class InputError extends TracepropError {
  constructor(code: ErrorCodeOf<'InputError'>, message: string, options: TracepropErrorOptions = {}) {
    super(code, message, options);
    this.name = 'InputError';
  }
}

/** Something that was asked for by id does not exist. */
export class NotFoundError extends TracepropError {
  constructor(code: ErrorCodeOf<'NotFoundError'>, message: string, options: TracepropErrorOptions = {}) {
    super(code, message, options);
    this.name = 'NotFoundError';
  }
}

/** True when `err` is a {@link TracepropError} with the given code. */
export function hasCode(err: unknown, code: ErrorCode): boolean {
  return err instanceof TracepropError && err.code === code;
}
