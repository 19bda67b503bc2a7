import neo4j from 'neo4j-driver';
import { defaults } from '../config.js';
import { type GraphClient, withSession } from './connection.js';
import { cypherText } from './cypher-library.js';

/** Run statuses. */
export const runStatuses = ['running', 'complete', 'failed'] as const;

/** A Run's status. */
export type RunStatus = (typeof runStatuses)[number];

/** One Run as {@link listRuns} reports it. */
export interface RunSummary {
  id: string;
  pipeline: string | null;
  mode: string | null;
  status: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** A running Run's lease (ISO time, Neo4j's clock); null for other statuses. */
  leaseUntil: string | null;
  /** True for a running Run whose lease expired: its ingest is presumed dead. */
  leaseExpired: boolean;
  samples: number | null;
  sourceRows: number | null;
  /** Why a failed Run failed. */
  error: string | null;
}

/** Options of {@link listRuns}. */
export interface ListRunsOptions {
  /** Only Runs of this status (default all). */
  status?: RunStatus;
  /** At most this many, newest first (default 50). */
  limit?: number;
  /** Lease length for Runs written before leases existed, in seconds (default 60). */
  leaseSeconds?: number;
}

/**
 * Lists Runs newest first (by ingest start), with their status and, for running ones, their lease
 * and whether it expired.
 *
 * @example
 * const stale = (await listRuns(client, { status: 'running' })).filter((r) => r.leaseExpired);
 */
export async function listRuns(client: GraphClient, options: ListRunsOptions = {}): Promise<RunSummary[]> {
  const result = await withSession(
    client,
    (session) =>
      session.executeRead((tx) =>
        tx.run(cypherText('ingest', 'list-runs'), {
          status: options.status ?? null,
          limit: neo4j.int(options.limit ?? 50),
          leaseMs: neo4j.int(Math.round((options.leaseSeconds ?? defaults.runLeaseSeconds) * 1000)),
        }),
      ),
    'READ',
  );
  return result.records.map((r) => r.toObject() as RunSummary);
}
