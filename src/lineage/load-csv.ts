import type { Frame } from './frame.js';
import type { Pipeline } from './pipeline.js';
import { type ReadCsvOptions, readCsv } from './read-csv.js';

/**
 * Reads a CSV file (see {@link readCsv}) and starts a tracked frame from it: the file is
 * registered in the pipeline (content sha256, rows, keys) and a `load` op is recorded.
 *
 * @example
 * const p = new Pipeline({ name: 'credit-risk', mode: 'row' });
 * const bureau = await loadCsv(p, 'bureau.csv', { keyColumn: 'SK_ID_BUREAU', required: ['SK_ID_CURR'] });
 */
export async function loadCsv(
  pipeline: Pipeline,
  file: string,
  options: ReadCsvOptions = {},
): Promise<Frame> {
  return pipeline.source(await readCsv(file, options));
}
