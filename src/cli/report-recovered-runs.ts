import type { RecoveredRun } from '../graph/recover-expired-runs.js';
import type { CliContext } from './context.js';

/** One status line (stderr) per Run recovered after its lease expired, then the count. */
export function reportRecoveredRuns(ctx: CliContext, recovered: RecoveredRun[]): void {
  if (!recovered.length) return;
  for (const run of recovered)
    ctx.status(
      `recovered run ${run.runId}: its lease expired at ${run.leaseUntil ?? '(no lease)'}; marked failed, its samples and ops removed (and ${run.filesRemoved} source file(s) no other run reads)`,
    );
  ctx.status(`recovered ${recovered.length} run(s) left running by a dead ingest`);
}
