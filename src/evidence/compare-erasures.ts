import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { GraphClient } from '../graph/connection.js';
import { cypherText } from '../graph/cypher-library.js';
import { runReadQuery } from '../graph/read-query.js';
import {
  type GraphMismatch,
  type LoggedStatement,
  type NotCompared,
  subjectDigest,
} from './graph-mismatch.js';

/** The property keys of an erased row's content-free skeleton (`unlearning-erase-rows`). */
const skeletonKeys = ['erased', 'erasedAt', 'erasedBy', 'id', 'row'];

/** Counts of the predicate that the request keeps as properties of the same name. */
const requestCounts = [
  'sourceRows',
  'affectedSamples',
  'forgottenTrainSamples',
  'recomputedSamples',
  'recomputedTrainSamples',
  'droppedSamples',
  'alreadyErasedRows',
] as const;

/** Certificate fields of the predicate and the request property that keeps each. */
const certificateFields: [string, string][] = [
  ['fallback', 'fallback'],
  ['gradientResidual', 'gradientResidual'],
  ['epsilon', 'certifiedEpsilon'],
  ['delta', 'certifiedDelta'],
  ['budgetCharged', 'budgetCharged'],
  ['budgetLeft', 'budgetLeft'],
  ['retrainedFromScratch', 'certifiedRetrain'],
];

/** Scrubbed edge counts of the predicate and the request property that keeps each. */
const scrubbedFields: [string, string][] = [
  ['influences', 'scrubbedInfluences'],
  ['shares', 'scrubbedShares'],
  ['predictionEdges', 'scrubbedPredictionEdges'],
  ['predictions', 'scrubbedPredictions'],
];

/** What every erasure statement records that is not compared (named in the report). */
export const erasureNotCompared: NotCompared[] = [
  {
    kind: 'erasure',
    ref: null,
    what: 'completedAt, codeVersion',
    reason: 'the graph keeps the time of its own write (UnlearningRequest.completedAt), not the statement’s',
  },
  {
    kind: 'erasure',
    ref: null,
    what: 'the request’s counts, metrics, certificate and scrubbed edges of a line that is not the request’s last logged line',
    reason:
      'the request keeps these for its last committed line only; every line’s model ids, new version, affected samples and erased rows are compared',
  },
];

interface ErasurePredicate {
  requestId: string;
  line: string;
  mode: string;
  status: string;
  runId: string;
  previousModelId: string;
  modelId: string | null;
  version?: number;
  rows: { id: string; file: string; row: number; keyHash?: string; subjectHash?: string }[];
  saltId?: string;
  lineage: { affectedSamples: number; samplesSha256: string };
  counts: Record<string, number>;
  certificate: Record<string, number | boolean> | null;
  metrics: { model?: unknown; verification?: unknown };
  scrubbed: Record<string, number>;
}

/**
 * Compares the newest `erasure` statement of each model line (`<requestId>#<line>`) with the graph:
 * the UnlearningRequest is there in the logged mode (and `complete` when the statement says so),
 * lists the line and its model ids; the previous version carries the logged parameter hash; the
 * new version is there with the logged hash, version and metrics, SUPERSEDES the previous one, is
 * TRAINED_ON the run and PRODUCED by the request; the request is AFFECTED-linked to exactly the
 * logged samples on the run (count and sha256 of the sorted ids); on the request's last logged line
 * its counts, metrics, certificate and scrubbed edges are the logged ones; and every erased row is
 * still a skeleton (property keys exactly id, row, erased, erasedAt, erasedBy) of the logged file
 * and row, TARGETED by the request, with a Tombstone carrying the logged salted hashes.
 */
export async function compareErasures(
  client: GraphClient,
  logged: LoggedStatement[],
): Promise<GraphMismatch[]> {
  if (logged.length === 0) return [];
  const lines = logged.map((l) => ({ ...l, p: l.statement.predicate as unknown as ErasurePredicate }));
  const lastOfRequest = new Map<string, number>();
  for (const { p, logIndex } of lines)
    lastOfRequest.set(p.requestId, Math.max(lastOfRequest.get(p.requestId) ?? -1, logIndex));
  const facts = await runReadQuery(client, cypherText('evidence', 'graph-facts-of-erasures'), {
    lines: lines.map(({ p }) => ({
      requestId: p.requestId,
      previousModelId: p.previousModelId,
      modelId: p.modelId ?? null,
      runId: p.runId,
    })),
  });
  const rowFacts = await runReadQuery(client, cypherText('evidence', 'graph-facts-of-erased-rows'), {
    rows: lines.flatMap(({ p }) => (p.rows ?? []).map((r) => ({ requestId: p.requestId, id: r.id }))),
  });
  const rowsOf = new Map(rowFacts.map((r) => [`${r.requestId}\u0000${r.id}`, r]));
  const out: GraphMismatch[] = [];
  lines.forEach(({ logIndex, statement, p }, k) => {
    const ref = `${p.requestId}#${p.line}`;
    const at = (fact: string, logged: unknown, found: unknown) =>
      out.push({ logIndex, kind: 'erasure', ref, fact, logged, found: found ?? null });
    const f = facts[k];
    compareLine(f, p, statement, at);
    if (f.found && lastOfRequest.get(p.requestId) === logIndex)
      compareRequestSummary(f.request as Record<string, unknown>, p, at);
    for (const row of p.rows ?? []) compareRow(rowsOf.get(`${p.requestId}\u0000${row.id}`), row, p, at);
  });
  return out;
}

type At = (fact: string, logged: unknown, found: unknown) => void;

function compareLine(
  f: Record<string, unknown>,
  p: ErasurePredicate,
  statement: LoggedStatement['statement'],
  at: At,
) {
  if (!f.found) at('UnlearningRequest', p.requestId, null);
  else {
    const u = f.request as Record<string, unknown>;
    if (u.mode !== p.mode) at('UnlearningRequest.mode', p.mode, u.mode);
    if (p.status === 'complete' && u.status !== 'complete')
      at('UnlearningRequest.status', p.status, u.status);
    const has = (list: unknown, id: unknown) => Array.isArray(list) && list.includes(id);
    if (!has(u.linesDone, p.line)) at('UnlearningRequest.linesDone', p.line, u.linesDone);
    if (!has(u.previousModelIds, p.previousModelId))
      at('UnlearningRequest.previousModelIds', p.previousModelId, u.previousModelIds);
    if (p.modelId && !has(u.modelIds, p.modelId)) at('UnlearningRequest.modelIds', p.modelId, u.modelIds);
  }
  const previousHash = subjectDigest(statement, `model:${p.previousModelId}/params`);
  if (!f.previousFound) at(`Model ${p.previousModelId} (previous version)`, p.previousModelId, null);
  else if (f.previousParamsSha256 !== previousHash)
    at(`Model ${p.previousModelId}.paramsSha256 (previous version)`, previousHash, f.previousParamsSha256);
  if (p.modelId) {
    const hash = subjectDigest(statement, `model:${p.modelId}/params`);
    if (!f.modelFound) at(`Model ${p.modelId} (new version)`, p.modelId, null);
    else {
      if (f.paramsSha256 !== hash) at(`Model ${p.modelId}.paramsSha256`, hash, f.paramsSha256);
      if (p.version !== undefined && Number(f.version) !== p.version)
        at(`Model ${p.modelId}.version`, p.version, f.version);
      if (f.supersedes !== p.previousModelId)
        at(`Model ${p.modelId} SUPERSEDES Model`, p.previousModelId, f.supersedes);
      if (f.modelRunId !== p.runId) at(`Model ${p.modelId} TRAINED_ON Run`, p.runId, f.modelRunId);
      if (f.found && !f.produced) at(`UnlearningRequest PRODUCED Model ${p.modelId}`, true, false);
      const metrics = parseJson(f.modelMetrics);
      if (p.metrics?.model !== undefined && !isDeepStrictEqual(metrics, p.metrics.model))
        at(`Model ${p.modelId}.metrics`, p.metrics.model, metrics);
    }
  }
  if (f.found) {
    const affected = [...(f.affected as string[])].sort();
    const digest = createHash('sha256').update(affected.join('\n'), 'utf8').digest('hex');
    if (affected.length !== p.lineage?.affectedSamples)
      at(`UnlearningRequest AFFECTED samples of Run ${p.runId}`, p.lineage?.affectedSamples, affected.length);
    else if (digest !== p.lineage.samplesSha256)
      at(
        `UnlearningRequest AFFECTED samples of Run ${p.runId} (sha256 of their ids)`,
        p.lineage.samplesSha256,
        digest,
      );
  }
}

/** The request's scalar properties, which its last committed line wrote. */
function compareRequestSummary(u: Record<string, unknown>, p: ErasurePredicate, at: At) {
  if (u.previousModelId !== p.previousModelId)
    at('UnlearningRequest.previousModelId', p.previousModelId, u.previousModelId);
  if (p.modelId && u.modelId !== p.modelId) at('UnlearningRequest.modelId', p.modelId, u.modelId);
  for (const name of requestCounts)
    if (p.counts?.[name] !== undefined && Number(u[name]) !== p.counts[name])
      at(`UnlearningRequest.${name}`, p.counts[name], u[name]);
  const metrics = parseJson(u.metrics) as { model?: unknown; verification?: unknown } | null;
  if (!isDeepStrictEqual(metrics?.model, p.metrics?.model))
    at('UnlearningRequest.metrics (model)', p.metrics?.model, metrics?.model);
  if (!isDeepStrictEqual(metrics?.verification, p.metrics?.verification))
    at('UnlearningRequest.metrics (verification)', p.metrics?.verification ?? null, metrics?.verification);
  const certificate = parseJson(u.certificate) as Record<string, unknown> | null;
  if (p.certificate === null) {
    if (certificate !== null) at('UnlearningRequest.certificate', null, certificate);
  } else {
    for (const name of ['gradientResidual', 'budget', 'withinBudget'])
      if (p.certificate[name] !== undefined && certificate?.[name] !== p.certificate[name])
        at(`UnlearningRequest.certificate.${name}`, p.certificate[name], certificate?.[name]);
    for (const [name, property] of certificateFields)
      if (p.certificate[name] !== undefined && u[property] !== p.certificate[name])
        at(`UnlearningRequest.${property}`, p.certificate[name], u[property]);
  }
  for (const [name, property] of scrubbedFields)
    if (p.scrubbed?.[name] !== undefined && Number(u[property]) !== p.scrubbed[name])
      at(`UnlearningRequest.${property}`, p.scrubbed[name], u[property]);
}

function compareRow(
  f: Record<string, unknown> | undefined,
  row: ErasurePredicate['rows'][number],
  p: ErasurePredicate,
  at: At,
) {
  if (!f?.found) {
    at(`SourceRow ${row.id}`, row.id, null);
    return;
  }
  const keys = [...(f.keys as string[])].sort();
  if (!isDeepStrictEqual(keys, skeletonKeys)) at(`SourceRow ${row.id} keys (skeleton)`, skeletonKeys, keys);
  if (f.erased !== true) at(`SourceRow ${row.id}.erased`, true, f.erased);
  if (Number(f.row) !== row.row) at(`SourceRow ${row.id}.row`, row.row, f.row);
  if (f.fileId !== row.file) at(`SourceRow ${row.id} IN_FILE SourceFile`, row.file, f.fileId);
  if (!f.targeted) at(`UnlearningRequest TARGETS SourceRow ${row.id}`, true, false);
  if (!f.tombstoned) {
    at(`Tombstone ${row.id}`, row.id, null);
    return;
  }
  if ((row.keyHash ?? null) !== f.keyHash) at(`Tombstone ${row.id}.keyHash`, row.keyHash ?? null, f.keyHash);
  if ((row.subjectHash ?? null) !== f.subjectHash)
    at(`Tombstone ${row.id}.subjectHash`, row.subjectHash ?? null, f.subjectHash);
  if (p.saltId && f.saltId !== null && f.saltId !== p.saltId)
    at(`Tombstone ${row.id}.saltId`, p.saltId, f.saltId);
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
