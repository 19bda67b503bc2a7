import fs from 'node:fs';
import path from 'node:path';
import type { OpenLineageConfig } from '../config.js';
import { defaults } from '../defaults.js';
import { appendToSpool, claimSpool } from './event-spool.js';
import { deliverOverHttp } from './http-delivery.js';
import type { RunEvent } from './run-event.js';

/** What a {@link LineageEmitter} did with the events it was given. */
interface EmitReport {
  delivered: number;
  /** Kept in the spool to be sent again (HTTP only). */
  spooled: number;
  /** Lost: a file or console transport that could not write (each is warned about). */
  failed: number;
}

/**
 * Sends OpenLineage events without ever blocking or failing the job that emits them: `emit`
 * queues and returns; delivery runs in the background in order (START before COMPLETE).
 */
export interface LineageEmitter {
  /** The job namespace of this deployment's events. */
  readonly namespace: string;
  /** Queues an event; never throws. */
  emit(event: RunEvent): void;
  /**
   * Waits at most `timeoutMs` for queued events; HTTP events not delivered by then are spooled
   * (sent again by the next process). Call it once, when the command ends.
   */
  flush(timeoutMs?: number): Promise<EmitReport>;
}

/** An emitter that drops nothing because it is given nothing to send: transport `none`. */
function silentEmitter(namespace: string = defaults.openLineageNamespace): LineageEmitter {
  return {
    namespace,
    emit: () => {},
    flush: async () => ({ delivered: 0, spooled: 0, failed: 0 }),
  };
}

/**
 * The emitter of a deployment's OpenLineage configuration. HTTP delivery is at least once: an
 * event spooled while its request was still in flight may arrive twice (receivers key events by
 * run id and event type). `warn` gets one line per problem, never the API key.
 *
 * @example
 * const events = openLineageEmitter(config.openLineage, (m) => log.warn(m));
 * events.emit(ingestStartEvent(ctx));
 * await events.flush();
 */
export function openLineageEmitter(
  config: OpenLineageConfig,
  warn: (message: string) => void,
): LineageEmitter {
  if (config.transport === 'none') return silentEmitter(config.namespace);
  const report: EmitReport = { delivered: 0, spooled: 0, failed: 0 };
  const queue: RunEvent[] = [];
  let closed = false;
  let spoolClaimed = false;
  let chain: Promise<void> = Promise.resolve();

  const send = async (event: RunEvent): Promise<void> => {
    if (config.transport === 'http') {
      await deliverOverHttp(event, { url: config.url as string, apiKey: config.apiKey });
    } else if (config.transport === 'file') {
      await fs.promises.mkdir(path.dirname(config.file), { recursive: true });
      await fs.promises.appendFile(config.file, `${JSON.stringify(event)}\n`);
    } else {
      process.stderr.write(`${JSON.stringify(event)}\n`);
    }
  };

  const drain = async (): Promise<void> => {
    if (config.transport === 'http' && !spoolClaimed) {
      spoolClaimed = true;
      try {
        queue.unshift(...claimSpool(config.spool));
      } catch (err) {
        warn(`OpenLineage: the spool ${config.spool} could not be read (${(err as Error).message})`);
      }
    }
    while (queue.length > 0 && !closed) {
      const event = queue[0];
      try {
        await send(event);
        if (queue[0] === event) queue.shift();
        report.delivered++;
      } catch (err) {
        if (queue[0] === event) queue.shift();
        if (config.transport === 'http') {
          appendToSpool(config.spool, [event]);
          report.spooled++;
          warn(
            `OpenLineage: ${event.eventType} of job ${event.job.name} not delivered (${(err as Error).message}); kept in ${config.spool} to be sent again`,
          );
        } else {
          report.failed++;
          warn(
            `OpenLineage: ${event.eventType} of job ${event.job.name} could not be written (${(err as Error).message})`,
          );
        }
      }
    }
  };

  return {
    namespace: config.namespace,
    emit(event) {
      if (closed) return;
      queue.push(event);
      chain = chain.then(drain).catch((err) => warn(`OpenLineage: ${(err as Error).message}`));
    },
    async flush(timeoutMs = defaults.openLineageFlushMs) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const outcome = await Promise.race([chain.then(() => 'done' as const), timedOut]);
      clearTimeout(timer);
      closed = true;
      if (outcome === 'timeout' && queue.length > 0) {
        const left = queue.splice(0);
        if (config.transport === 'http') {
          appendToSpool(config.spool, left);
          report.spooled += left.length;
          warn(
            `OpenLineage: ${left.length} event(s) not delivered within ${timeoutMs} ms; kept in ${config.spool}`,
          );
        } else {
          report.failed += left.length;
          warn(`OpenLineage: ${left.length} event(s) not written within ${timeoutMs} ms`);
        }
      }
      return { ...report };
    },
  };
}
