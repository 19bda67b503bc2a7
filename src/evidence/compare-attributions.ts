import type { GraphClient } from '../graph/connection.js';
import { cypherText } from '../graph/cypher-library.js';
import { runReadQuery } from '../graph/read-query.js';
import {
  type GraphMismatch,
  type LoggedStatement,
  type NotCompared,
  subjectDigest,
} from './graph-mismatch.js';

/** What every attribution statement records that is not compared (named in the report). */
export const attributionNotCompared: NotCompared[] = [
  {
    kind: 'attribution',
    ref: null,
    what: 'counts.trainRows, top, attributedAt, codeVersion, the run matrix digest',
    reason: 'the graph keeps no per-job record of them (the JobRun holds only its commit)',
  },
];

/** Relative tolerance of a mean share read back from the graph. */
const shareTolerance = 1e-9;

interface AttributionPredicate {
  jobId: string;
  modelId: string;
  runId: string;
  method: string;
  counts: { predictions: number; influencedBy: number; sourceShares: number };
  shares: { file: string; name: string; predictions: number; meanShare: number }[];
}

interface FileFact {
  file: string;
  predictions: number;
  meanShare: number;
}

/**
 * Compares the newest `attribution` statement of each job with the graph: the JobRun is committed,
 * the model carries the logged parameter hash and is TRAINED_ON the logged run, and the edges
 * stamped with the job id are the logged ones: INFLUENCED_BY edges, predictions with an influence,
 * SOURCE_SHARE edges, and per source file the predictions with a share and their mean share. More
 * edges than logged is always a mismatch. Fewer is a mismatch unless a later logged job of the same
 * model and method replaced them, or an erasure scrubbed attribution edges of the model's
 * predictions (`attributionScrubbedBy`): then the edge counts are reported in `notCompared`.
 */
export async function compareAttributions(
  client: GraphClient,
  logged: LoggedStatement[],
): Promise<{ mismatches: GraphMismatch[]; notCompared: NotCompared[] }> {
  const mismatches: GraphMismatch[] = [];
  const notCompared: NotCompared[] = [];
  if (logged.length === 0) return { mismatches, notCompared };
  const jobs = logged.map((l) => ({ ...l, p: l.statement.predicate as unknown as AttributionPredicate }));
  const facts = await runReadQuery(client, cypherText('evidence', 'graph-facts-of-attributions'), {
    jobs: jobs.map(({ p }) => ({ jobId: p.jobId, modelId: p.modelId })),
  });
  jobs.forEach(({ logIndex, statement, p }, k) => {
    const ref = p.jobId;
    const at = (fact: string, logged: unknown, found: unknown) =>
      mismatches.push({ logIndex, kind: 'attribution', ref, fact, logged, found: found ?? null });
    const f = facts[k];
    if (!f.jobFound) at('JobRun', ref, null);
    else if (f.jobStatus !== 'committed') at('JobRun.status', 'committed', f.jobStatus);
    if (!f.modelFound) {
      at(`Model ${p.modelId}`, p.modelId, null);
      return;
    }
    const hash = subjectDigest(statement, `model:${p.modelId}/params`);
    if (f.paramsSha256 !== hash) at(`Model ${p.modelId}.paramsSha256`, hash, f.paramsSha256);
    if (f.runId !== p.runId) at(`Model ${p.modelId} TRAINED_ON Run`, p.runId, f.runId);

    const counts: [string, number, number][] = [
      ['INFLUENCED_BY edges of the job', p.counts.influencedBy, Number(f.influencedBy)],
      ['Predictions with an INFLUENCED_BY edge of the job', p.counts.predictions, Number(f.predictions)],
      ['SOURCE_SHARE edges of the job', p.counts.sourceShares, Number(f.sourceShares)],
    ];
    for (const [fact, want, found] of counts) if (found > want) at(fact, want, found);
    if (counts.every(([, want, found]) => found === want)) {
      compareShares(p.shares ?? [], f.shares as FileFact[], at);
      return;
    }
    const fewer = counts.filter(([, want, found]) => found < want);
    const later = jobs.find(
      (o) => o.logIndex > logIndex && o.p.modelId === p.modelId && o.p.method === p.method,
    );
    const scrubbedBy = f.scrubbedBy as string[];
    if (later)
      notCompared.push({
        kind: 'attribution',
        ref,
        what: `${fewer.map(([fact]) => fact).join(', ')} (found fewer than logged)`,
        reason: `job ${later.p.jobId} (log index ${later.logIndex}), of the same model and method, replaced them`,
      });
    else if (scrubbedBy.length > 0)
      notCompared.push({
        kind: 'attribution',
        ref,
        what: `${fewer.map(([fact]) => fact).join(', ')} (found fewer than logged)`,
        reason: `erasure request(s) ${scrubbedBy.join(', ')} scrubbed attribution edges of the model's predictions`,
      });
    else for (const [fact, want, found] of fewer) at(fact, want, found);
  });
  return { mismatches, notCompared };
}

/** Per source file: the predictions with a share of the job and their mean share. */
function compareShares(
  logged: AttributionPredicate['shares'],
  found: FileFact[],
  at: (fact: string, logged: unknown, found: unknown) => void,
) {
  const byFile = new Map(found.map((s) => [s.file, s]));
  for (const s of logged) {
    const g = byFile.get(s.file);
    byFile.delete(s.file);
    if (!g) at(`SOURCE_SHARE ${s.name} (sha256 ${s.file})`, s.file, null);
    else if (Number(g.predictions) !== s.predictions)
      at(`SOURCE_SHARE ${s.name}.predictions`, s.predictions, g.predictions);
    else if (Math.abs(g.meanShare - s.meanShare) > shareTolerance * Math.max(1, Math.abs(s.meanShare)))
      at(`SOURCE_SHARE ${s.name}.meanShare`, s.meanShare, g.meanShare);
  }
  for (const g of byFile.values()) at(`SOURCE_SHARE of SourceFile ${g.file}`, null, g.file);
}
