import fs from 'node:fs';
import path from 'node:path';
import { resolveErasureSalt } from '../../src/erasure/erasure-salt.js';

/**
 * The bench's workers run in a temporary home but write tombstones into the bench's Neo4j, whose
 * deployment salt lives in the configured home: a fresh random salt per run would make the next
 * run refuse those tombstones (`erasure.saltMismatch`). The temporary home gets the deployment's
 * salt file (with TRACEPROP_ERASURE_SALT set, every process reads that instead).
 */
export function shareDeploymentSalt(config: { home: string; erasureSalt?: string }, home: string): void {
  const salt = resolveErasureSalt(config);
  if (salt.file) fs.copyFileSync(salt.file, path.join(home, path.basename(salt.file)));
}
