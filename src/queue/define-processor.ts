import type { SandboxedJob } from 'bullmq';
import type { z } from 'zod';
import { loadConfig, type TracepropConfig } from '../config.js';
import { type CommitOutcome, commitJobResult } from '../graph/commit-job-result.js';
import { createGraphClient, type GraphClient, workerGraphTimeouts } from '../graph/connection.js';
import { watchParentProcess } from './parent-watchdog.js';
import { parsePayload } from './parse-payload.js';
import { toJobError } from './to-job-error.js';

/**
 * The job's result with the bookmarks of the worker's graph client (`graphBookmarks`), when the
 * result is an object and the job used the graph: a process that waits for the job passes them
 * to its own client (`adoptBookmarks`), so its next read sees the write-back on any member of a
 * cluster (causal consistency across processes; docs/neo4j-cluster.md).
 */
async function withGraphBookmarks<R>(result: R, client: GraphClient | undefined): Promise<R> {
  if (!client || result === null || typeof result !== 'object' || Array.isArray(result)) return result;
  const graphBookmarks = [...(await client.bookmarkManager.getBookmarks())];
  return graphBookmarks.length > 0 ? { ...result, graphBookmarks } : result;
}

/** Progress reported by Traceprop jobs: a percentage and the current stage. */
interface JobProgressValue {
  percent: number;
  stage: string;
}

/** What a job handler receives. */
interface ProcessorContext<P> {
  job: SandboxedJob;
  /** The validated, normalised payload. */
  payload: P;
  jobId: string;
  /** 1-based attempt number. */
  attempt: number;
  /** The configuration of the worker (passed to the forked child through its environment). */
  config: TracepropConfig;
  /** The child's graph client for `uri` (default the configured Neo4j), created once and reused. */
  graph(uri?: string): GraphClient;
  /** Reports progress (0–100) and a stage name; `jobs watch` and `--wait` show it. */
  progress(percent: number, stage: string): Promise<void>;
  /** {@link commitJobResult} for this job on `client` (default `graph()`). */
  commit<T>(write: Parameters<typeof commitJobResult<T>>[2], client?: GraphClient): Promise<CommitOutcome<T>>;
}

/** A kind's handler and payload schema, see {@link defineProcessor}. */
export interface ProcessorDefinition<S extends z.ZodType, R> {
  kind: string;
  schema: S;
  handle(ctx: ProcessorContext<z.output<S>>): Promise<R>;
}

const clients = new Map<string, GraphClient>();
let childConfig: TracepropConfig | undefined;

/**
 * Builds the default export of a sandboxed processor file (run in a forked child by BullMQ):
 * validates the payload (a bad one fails at once with `UnrecoverableError`), provides a cached
 * graph client and exactly-once `commit`, and maps errors with {@link toJobError}. In a forked
 * child it also starts the {@link watchParentProcess} watchdog: the child dies with its worker.
 *
 * @example
 * // src/queue/processors/unlearning.ts
 * export default defineProcessor({ kind: 'unlearning', schema: unlearningPayloadSchema, handle: async (ctx) => {
 *   await ctx.progress(10, 'lineage');
 *   const { committed } = await ctx.commit(async (tx) => { await tx.run('…'); });
 *   return { committed };
 * } });
 */
export function defineProcessor<S extends z.ZodType, R>(
  definition: ProcessorDefinition<S, R>,
): (job: SandboxedJob) => Promise<R> {
  watchParentProcess();
  return async (job: SandboxedJob) => {
    try {
      const payload = parsePayload(definition.kind, job.data, definition.schema);
      childConfig ??= loadConfig();
      const config = childConfig;
      const jobId = String(job.id);
      const attempt = (job.attemptsMade ?? 0) + 1;
      const graph = (uri = config.neo4jUri) => {
        let client = clients.get(uri);
        if (!client) {
          client = createGraphClient(
            { uri, user: config.neo4jUser, password: config.neo4jPassword, database: config.neo4jDatabase },
            workerGraphTimeouts,
          );
          clients.set(uri, client);
        }
        return client;
      };
      const result = await definition.handle({
        job,
        payload,
        jobId,
        attempt,
        config,
        graph,
        progress: (percent, stage) =>
          job.updateProgress({ percent: Math.round(percent * 10) / 10, stage } satisfies JobProgressValue),
        commit: (write, client) =>
          commitJobResult(client ?? graph(), { jobId, kind: definition.kind, attempt }, write),
      });
      return await withGraphBookmarks(result, clients.get(config.neo4jUri));
    } catch (err) {
      throw toJobError(err);
    }
  };
}
