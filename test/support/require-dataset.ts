import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';

/**
 * The absolute path of `name`, a file (or folder) under the shared data sets folder
 * (`../shared/datasets` beside the package root, or `TRACEPROP_DATASETS`). Throws when it is
 * missing: CI always has the data sets, so a missing one is a broken setup, never a reason to skip.
 * @example
 * const adultDir = path.dirname(requireDataset('adult/adult.data'));
 */
export function requireDataset(name: string): string {
  const folder = loadConfig().datasetsDir;
  const file = path.join(folder, name);
  if (!fs.existsSync(file)) {
    throw new Error(
      `the data set file ${name} is missing: expected ${file} in the shared data sets folder ${folder} ` +
        '(../shared/datasets beside the checkout, or TRACEPROP_DATASETS). CI always has it, so this ' +
        'test fails instead of skipping: put the shared folder beside the checkout or set TRACEPROP_DATASETS.',
    );
  }
  return file;
}
