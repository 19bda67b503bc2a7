import type { TracepropConfig } from '../config.js';
import type { Logger } from '../util/logger.js';

/** What every CLI command receives: the configuration, a logger and the output helpers. */
export interface CliContext {
  config: TracepropConfig;
  logger: Logger;
  /** True under `--verbose`. */
  verbose: boolean;
  /** Writes one JSON document to stdout. */
  printJson(value: unknown): void;
  /** Writes human-readable lines to stdout. */
  print(text: string): void;
  /** Writes a status line to stderr (never data). */
  status(text: string): void;
}
