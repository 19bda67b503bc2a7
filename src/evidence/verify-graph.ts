import { createHash } from 'node:crypto';
import type { ArtifactHome } from '../artifacts/artifact-home.js';
import type { GraphClient } from '../graph/connection.js';
import { cypherText } from '../graph/cypher-library.js';
import { runReadQuery } from '../graph/read-query.js';
import { modelArtifactState, readModelParamsBytes } from '../models/model-artifact-store.js';
import { attributionNotCompared, compareAttributions } from './compare-attributions.js';
import { compareErasures, erasureNotCompared } from './compare-erasures.js';
import { parseEnvelope } from './dsse-envelope.js';
import type { GraphMismatch, LoggedStatement, NotCompared } from './graph-mismatch.js';
import { type InTotoStatement, kindOfPredicateType, statementOfPayload } from './in-toto-statement.js';
import { readLogPages } from './read-log.js';
import { type LogVerification, verifyLog } from './verify-log.js';

/** What {@link verifyGraph} compared. */
export interface GraphVerification {
  log: LogVerification;
  /** Statements compared, per kind. */
  compared: Record<string, number>;
  /** Model artifacts whose parameters were hashed against their statement. */
  artifactsHashed: number;
  /**
   * Models whose parameters could not be compared: shredded by an erasure (the hash stays on
   * record), or not under this TRACEPROP_HOME.
   */
  artifactsNotCompared: { modelId: string; reason: 'shredded' | 'not in TRACEPROP_HOME' }[];
  /** What the compared statements record that was not compared with the graph, and why. */
  notCompared: NotCompared[];
  mismatches: GraphMismatch[];
}

/**
 * Checks that the graph still says what the transparency log recorded: first the log itself
 * ({@link verifyLog}: every entry there, hashed into the signed root), then, for every logged
 * statement, the facts it is about: a `run` statement's Run is there with the same counts and
 * reads the same source files (content sha256) with the same row counts; a `model` statement's
 * Model is there, trained on the same run, carrying the same parameter hash, and its artifact
 * under `home` (`model.json` and `params.bin`) has that hash, unless an erasure shredded the
 * parameters (the hash stays on record); an `erasure` statement's request, model versions,
 * affected samples and erased rows (still skeletons: {@link compareErasures}); an `attribution`
 * statement's job, model and edges ({@link compareAttributions}). The newest statement of a ref
 * is the one compared; what is not compared is listed in `notCompared`.
 * Mismatches are returned, not thrown; the log's own failures throw as {@link verifyLog} does.
 */
export async function verifyGraph(client: GraphClient, home: ArtifactHome): Promise<GraphVerification> {
  const log = await verifyLog(client);
  const latest = new Map<string, LoggedStatement>();
  await readLogPages(client, log.head.size, true, (page) => {
    page.envelopes?.forEach((text, k) => {
      const statement = statementOfPayload(parseEnvelope(text).payload);
      const kind = kindOfPredicateType(statement.predicateType);
      const ref = refOf(kind, statement);
      if (!kind || !ref) return;
      const key = `${kind}\u0000${ref}`;
      const logIndex = page.indexes[k];
      if ((latest.get(key)?.logIndex ?? -1) < logIndex) latest.set(key, { logIndex, statement });
    });
  });
  const of = (kind: string) =>
    [...latest.entries()].filter(([k]) => k.startsWith(`${kind}\u0000`)).map(([, v]) => v);
  const runs = of('run');
  const models = of('model');
  const mismatches: GraphMismatch[] = [...(await compareRuns(client, runs))];
  const artifacts = await compareModels(client, home, models);
  mismatches.push(...artifacts.mismatches);
  const erasures = of('erasure');
  mismatches.push(...(await compareErasures(client, erasures)));
  const attributions = of('attribution');
  const attributed = await compareAttributions(client, attributions);
  mismatches.push(...attributed.mismatches);
  mismatches.sort((a, b) => a.logIndex - b.logIndex);
  return {
    log,
    compared: {
      run: runs.length,
      model: models.length,
      erasure: erasures.length,
      attribution: attributions.length,
    },
    artifactsHashed: artifacts.hashed,
    artifactsNotCompared: artifacts.notCompared,
    notCompared: [
      ...(erasures.length > 0 ? erasureNotCompared : []),
      ...(attributions.length > 0 ? attributionNotCompared : []),
      ...attributed.notCompared,
    ],
    mismatches,
  };
}

function refOf(kind: string | undefined, statement: InTotoStatement): string | undefined {
  const p = statement.predicate;
  if (kind === 'run' && typeof p.runId === 'string') return p.runId;
  if (kind === 'model' && typeof p.modelId === 'string') return p.modelId;
  if (kind === 'erasure' && typeof p.requestId === 'string' && typeof p.line === 'string')
    return `${p.requestId}#${p.line}`;
  if (kind === 'attribution' && typeof p.jobId === 'string') return p.jobId;
  return undefined;
}

const runCounts = ['files', 'ops', 'sourceRows', 'samples', 'provenanceEdges'] as const;

async function compareRuns(client: GraphClient, runs: LoggedStatement[]): Promise<GraphMismatch[]> {
  if (runs.length === 0) return [];
  const rows = await runReadQuery(client, cypherText('evidence', 'graph-facts-of-runs'), {
    runIds: runs.map((r) => r.statement.predicate.runId),
  });
  const byId = new Map(rows.map((r) => [String(r.id), r]));
  const out: GraphMismatch[] = [];
  for (const { logIndex, statement } of runs) {
    const p = statement.predicate;
    const ref = String(p.runId);
    const at = (fact: string, logged: unknown, found: unknown) =>
      out.push({ logIndex, kind: 'run', ref, fact, logged, found });
    const row = byId.get(ref);
    if (!row?.found) {
      at('Run', ref, null);
      continue;
    }
    const logged = (p.counts ?? {}) as Record<string, unknown>;
    const counts = row.counts as Record<string, unknown>;
    for (const name of runCounts)
      if (Number(logged[name]) !== Number(counts[name]))
        at(`Run.${name}`, logged[name], counts[name] ?? null);
    const files = new Map((row.files as { id: string; rows: unknown }[]).map((f) => [f.id, Number(f.rows)]));
    for (const f of (p.files ?? []) as { name: string; sha256: string; rows: number }[]) {
      if (!files.has(f.sha256)) at(`SourceFile ${f.name} (sha256 ${f.sha256})`, f.sha256, null);
      else if (files.get(f.sha256) !== f.rows) at(`SourceFile ${f.name}.rows`, f.rows, files.get(f.sha256));
    }
  }
  return out;
}

async function compareModels(
  client: GraphClient,
  home: ArtifactHome,
  models: LoggedStatement[],
): Promise<{
  mismatches: GraphMismatch[];
  hashed: number;
  notCompared: GraphVerification['artifactsNotCompared'];
}> {
  const mismatches: GraphMismatch[] = [];
  const notCompared: GraphVerification['artifactsNotCompared'] = [];
  let hashed = 0;
  if (models.length === 0) return { mismatches, hashed, notCompared };
  const rows = await runReadQuery(client, cypherText('evidence', 'graph-facts-of-models'), {
    modelIds: models.map((m) => m.statement.predicate.modelId),
  });
  const byId = new Map(rows.map((r) => [String(r.id), r]));
  for (const { logIndex, statement } of models) {
    const p = statement.predicate;
    const ref = String(p.modelId);
    const at = (fact: string, logged: unknown, found: unknown) =>
      mismatches.push({ logIndex, kind: 'model', ref, fact, logged, found });
    const params = statement.subject.find((s) => s.name === `model:${ref}/params`)?.digest.sha256;
    const row = byId.get(ref);
    if (!row?.found) {
      at('Model', ref, null);
      continue;
    }
    if (row.paramsSha256 !== params) at('Model.paramsSha256', params, row.paramsSha256 ?? null);
    if (row.runId !== p.runId) at('Model TRAINED_ON Run', p.runId, row.runId ?? null);
    const state = await modelArtifactState(home, ref);
    if (!state) {
      notCompared.push({ modelId: ref, reason: 'not in TRACEPROP_HOME' });
      continue;
    }
    if (state.paramsSha256 !== params) at('model.json paramsSha256', params, state.paramsSha256);
    if (state.shredded || row.shredded) {
      notCompared.push({ modelId: ref, reason: 'shredded' });
      continue;
    }
    const bytes = await readModelParamsBytes(home, ref, state.paramsSha256);
    if (!bytes) {
      at('params.bin', params, null);
      continue;
    }
    const actual = createHash('sha256').update(bytes).digest('hex');
    hashed++;
    if (actual !== params) at('params.bin sha256', params, actual);
  }
  return { mismatches, hashed, notCompared };
}
