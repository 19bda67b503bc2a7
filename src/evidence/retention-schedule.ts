import type { TracepropConfig } from '../config.js';
import { defaults } from '../defaults.js';

/** One store in the retention policy and how long it is kept. */
export interface RetentionRule {
  store: string;
  /** How long it is kept, in words (`forever`, `≥ 183 days`, …). */
  kept: string;
  /** Who may remove it, and how. */
  removal: string;
}

/**
 * The retention policy of a deployment (docs/retention.md), from its configuration: the evidence
 * log and statements are never deleted by Traceprop (kept at least `logsDays`), the technical
 * documentation at least `docsYears`, finished queue jobs for their queue retention, after which
 * `traceprop retention purge` (or BullMQ itself) removes them. An erasure overrides retention
 * only for personal data, never for evidence: it shreds parameters and leaves skeletons, hashes
 * and statements behind.
 */
export function retentionSchedule(config: Pick<TracepropConfig, 'retention'>): RetentionRule[] {
  const { logsDays, docsYears } = config.retention;
  const days = (s: number) => `${Math.round(s / 86_400)} day${s === 86_400 ? '' : 's'}`;
  return [
    {
      store: 'transparency log entries and signed statements (LogEntry, Statement, TreeHead)',
      kept: `forever by Traceprop; the deployment commits to ≥ ${logsDays} days`,
      removal: 'never by Traceprop (no command deletes them; `traceprop verify log` detects a gap)',
    },
    {
      store: 'technical documentation (Run, Model, SourceFile nodes, model.json, reports)',
      kept: `≥ ${docsYears} years`,
      removal: 'never by Traceprop; an erasure keeps them (skeletons and hashes)',
    },
    {
      store: 'personal data (SourceRow values, run matrix rows, model parameters fitted on them)',
      kept: 'until an erasure request names them',
      removal: '`traceprop unlearn` (erased, skeleton or crypto-shredded; the statement stays)',
    },
    {
      store: 'completed queue jobs (payloads and results in Redis)',
      kept: `${days(defaults.keepCompletedJobSeconds)} (at most ${defaults.keepCompletedJobs} per queue)`,
      removal: 'BullMQ as later jobs finish; `traceprop retention purge` on demand',
    },
    {
      store: 'failed queue jobs',
      kept: `${days(defaults.keepFailedJobSeconds)} (at most ${defaults.keepFailedJobs} per queue)`,
      removal: 'BullMQ as later jobs fail; `traceprop retention purge` on demand',
    },
  ];
}
