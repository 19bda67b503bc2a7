import fs from 'node:fs';
import { PipelineSpecError } from './pipeline-spec-error.js';

/** The text of a pipeline file; `pipeline.unreadable` (naming the file) when it cannot be read. */
export function readPipelineFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const why =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String((err as Error).message);
    throw new PipelineSpecError(
      'pipeline.unreadable',
      { file, path: '' },
      `${why} (expected a readable pipeline file)`,
      { cause: err },
    );
  }
}
