import type { LineageEmitter } from './lineage-emitter.js';
import type { RunEvent } from './run-event.js';

/** The events of one job run: built when it starts, when it completes and when it fails. */
export interface JobRunEvents<R> {
  start(): Promise<RunEvent>;
  complete(result: R): Promise<RunEvent>;
  fail(error: unknown): Promise<RunEvent>;
}

/**
 * Runs `work` between its START and its COMPLETE (or FAIL) event. Events never change the job's
 * outcome: an event that cannot be built (e.g. a graph read fails) is skipped with a warning,
 * the job's error is rethrown as it was, and emitting only queues (the caller flushes).
 *
 * @example
 * const model = await withJobRunEvents(emitter, trainRunEvents(client, ns, ref), warn, () => trainRunModel(config));
 */
export async function withJobRunEvents<R>(
  emitter: LineageEmitter | undefined,
  events: JobRunEvents<NoInfer<R>> | undefined,
  warn: (message: string) => void,
  work: () => Promise<R>,
): Promise<R> {
  if (!emitter || !events) return work();
  const send = async (what: string, build: () => Promise<RunEvent>) => {
    try {
      emitter.emit(await build());
    } catch (err) {
      warn(`OpenLineage: the ${what} event could not be built (${(err as Error).message}); not sent`);
    }
  };
  await send('START', () => events.start());
  let result: R;
  try {
    result = await work();
  } catch (err) {
    await send('FAIL', () => events.fail(err));
    throw err;
  }
  await send('COMPLETE', () => events.complete(result));
  return result;
}
