import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../config.js';

let version: string | undefined;

/** The Traceprop version (package.json `version`), read once; `unknown` when it has none. */
export function codeVersion(): string {
  version ??= String(
    (JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version?: string })
      .version ?? 'unknown',
  );
  return version;
}
