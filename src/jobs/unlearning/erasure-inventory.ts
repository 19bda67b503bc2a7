import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { ArtifactHome } from '../../artifacts/artifact-home.js';
import { NotFoundError, TracepropError } from '../../errors.js';
import type { GraphClient } from '../../graph/connection.js';
import { cypherText } from '../../graph/cypher-library.js';
import { runReadQuery } from '../../graph/read-query.js';
import { loadModelArtifact, modelArtifactState } from '../../models/model-artifact-store.js';
import { loadRunMatrix, runDir, runMatrixFileState } from '../../models/run-matrix-store.js';
import { identifyingTargetFields } from '../job-payloads.js';
import { fittedStateEntry, type RunModelVersion } from './fitted-state-entry.js';

/**
 * What a store holds of an erasure after the request: `erased` (gone), `skeleton` (only
 * content-free ids and hashes), `shredded` (kept but unreadable), `not present` (never held it),
 * `present` (still holds it: see the entry's detail), `unknown` (could not be checked).
 */
type InventoryState = 'erased' | 'skeleton' | 'shredded' | 'not present' | 'present' | 'unknown';

/** One store in an {@link ErasureInventory}. */
export interface InventoryEntry {
  /**
   * Kind of store, e.g. `graph: source rows`, `model artifact`, `run matrix`, `fitted encoder
   * state`, `source file`.
   */
  store: string;
  /** `traceprop` for stores it owns; `data owner` for the source files it read but does not own. */
  owner: 'traceprop' | 'data owner';
  /** Where: a node label, a path under TRACEPROP_HOME, a Redis key, a file path. */
  location: string;
  state: InventoryState;
  /** How many items of the erasure the entry counts (rows, samples, edges…), when it counts. */
  count?: number;
  /** What was measured, in a sentence. */
  detail: string;
}

/** Every store an erasure request touches, and what each still holds of it. */
export interface ErasureInventory {
  requestId: string;
  status: string;
  entries: InventoryEntry[];
  /** Entries of stores Traceprop owns that are `present` (should be 0 once every store is scrubbed). */
  ownedStoresHolding: number;
}

/** Checks a store outside the graph and the file system (the queue's payloads, in Redis). */
export type InventoryProbe = (requestId: string) => Promise<InventoryEntry[]>;

/**
 * The erasure inventory of a request, measured on the stores themselves: the graph (source
 * rows, tombstones, samples, the request's recorded target, attribution edges), every model
 * version's artifact on the affected runs (does its training set still name a dropped sample?),
 * the run matrices, each affected run's fitted encoder state (one-hot levels only erased rows
 * had, whose texts stay as feature names: {@link fittedStateEntry}), the source files (present at their path with the same sha256: flagged for
 * their owner), and whatever `probes` check (the CLI passes the queue's). Read-only.
 *
 * @throws NotFoundError `unlearning.unknownRequest` when no such request exists.
 */
export async function erasureInventory(
  client: GraphClient,
  home: ArtifactHome,
  requestId: string,
  probes: InventoryProbe[] = [],
): Promise<ErasureInventory> {
  const [g] = await runReadQuery(client, cypherText('jobs/unlearning', 'inventory-graph'), { id: requestId });
  if (!g)
    throw new NotFoundError(
      'unlearning.unknownRequest',
      `no unlearning request ${JSON.stringify(requestId)} in the graph (list them with \`traceprop query erasures\`)`,
    );
  const entries: InventoryEntry[] = graphEntries(g);
  const runIds = (g.runIds as (string | null)[]).filter((r): r is string => typeof r === 'string');
  const dropped = new Set(g.droppedSampleIds as string[]);
  entries.push(...(await modelAndMatrixEntries(client, home, requestId, runIds, dropped)));
  for (const f of g.files as { id: string; name: string; path: string | null; rows: number }[])
    entries.push(await sourceFileEntry(f));
  for (const probe of probes) entries.push(...(await probe(requestId)));
  return {
    requestId,
    status: String(g.status),
    entries,
    ownedStoresHolding: entries.filter((e) => e.owner === 'traceprop' && e.state === 'present').length,
  };
}

function graphEntries(g: Record<string, unknown>): InventoryEntry[] {
  const n = (k: string) => Number(g[k] ?? 0);
  const target = typeof g.target === 'string' ? (JSON.parse(g.target) as Record<string, unknown>) : {};
  const plain = identifyingTargetFields(target);
  return [
    {
      store: 'graph: source rows',
      owner: 'traceprop',
      location: '(:SourceRow)',
      state: n('rowsWithContent') > 0 ? 'present' : 'skeleton',
      count: n('rows'),
      detail: `${n('rows')} targeted rows; ${n('rowsWithContent')} hold more than id, row, erased, erasedAt, erasedBy`,
    },
    {
      store: 'graph: tombstones',
      owner: 'traceprop',
      location: '(:Tombstone)',
      state: 'skeleton',
      count: n('tombstones'),
      detail: `${n('tombstones')} tombstones keep file, row and salted key/subject hashes only`,
    },
    {
      store: 'graph: samples',
      owner: 'traceprop',
      location: '(:Sample)',
      state: n('droppedWithContent') > 0 ? 'present' : 'erased',
      count: n('samples'),
      detail: `${n('samples')} affected samples: ${n('samples') - n('rederived')} dropped (${n('droppedWithContent')} still hold a key or label), ${n('rederived')} re-derived without the erased rows`,
    },
    {
      store: 'graph: request record',
      owner: 'traceprop',
      location: '(:UnlearningRequest).target',
      state: plain.length > 0 ? 'present' : 'skeleton',
      detail:
        plain.length > 0
          ? `the recorded target holds plain ${plain.join(' and ')}`
          : 'the recorded target names rows by file content id and row, or by salted hashes',
    },
    {
      store: 'graph: attribution edges',
      owner: 'traceprop',
      location: '(:Prediction)-[:INFLUENCED_BY]->(:Sample)',
      state: n('influences') > 0 ? 'present' : 'erased',
      count: n('influences'),
      detail: `${n('influences')} INFLUENCED_BY edges still point at an affected sample`,
    },
  ];
}

async function modelAndMatrixEntries(
  client: GraphClient,
  home: ArtifactHome,
  requestId: string,
  runIds: string[],
  dropped: ReadonlySet<string>,
): Promise<InventoryEntry[]> {
  if (runIds.length === 0) return [];
  const entries: InventoryEntry[] = [];
  const models = await runReadQuery(client, cypherText('jobs/unlearning', 'inventory-models'), {
    id: requestId,
    runIds,
  });
  for (const runId of runIds) {
    const matrix = await loadRunMatrix(home, runId).catch(absentAs(null));
    const droppedRows = new Set<number>();
    let keysLeft = 0;
    let rowsLeft = 0;
    if (matrix)
      for (let i = 0; i < matrix.sampleIds.length; i++)
        if (dropped.has(matrix.sampleIds[i])) {
          droppedRows.add(i);
          if (matrix.sampleKeys[i] !== '') keysLeft++;
          if (!matrix.scrubbedRows?.has(i)) rowsLeft++;
        }
    const files = matrix ? await runMatrixFileState(home, runId) : null;
    const held = rowsLeft + keysLeft + (files?.strayFiles.length ?? 0);
    entries.push({
      store: 'run matrix',
      owner: 'traceprop',
      location: files?.file ?? path.join(runDir(home, runId), 'matrix.bin'),
      state: !matrix || droppedRows.size === 0 ? 'not present' : held > 0 ? 'present' : 'erased',
      count: droppedRows.size,
      detail: matrix
        ? `${droppedRows.size} dropped samples: ${rowsLeft} feature rows still in the matrix (an active line not updated by the request still reads them), ${keysLeft} business keys in matrix.json, ${files?.strayFiles.length ?? 0} stray binaries; ${files?.scrubs.length ?? 0} scrubs recorded (hash now ${files?.sha256.slice(0, 12)}…)`
        : 'no saved matrix',
    });
    const versions: RunModelVersion[] = [];
    for (const m of models.filter((x) => x.runId === runId)) {
      const state = await modelArtifactState(home, String(m.id));
      const version: RunModelVersion = {
        id: String(m.id),
        status: String(m.status),
        trainedAt: Number(m.trainedAt ?? 0),
        featureNames: state?.featureNames ?? null,
        artifact: null,
      };
      versions.push(version);
      if (state?.shredded) {
        entries.push({
          store: 'model artifact',
          owner: 'traceprop',
          location: state.dir,
          state: state.paramsOnDisk ? 'present' : 'skeleton',
          detail: `model ${m.id} (version ${m.version}, ${m.status}): parameters deleted by erasure request ${state.shredded.requestId} on ${state.shredded.at}${state.paramsOnDisk ? ', but params.bin or a cache derived from its rows is still on disk' : ''}; model.json keeps sha256 ${state.paramsSha256.slice(0, 12)}… and its metadata`,
        });
        continue;
      }
      const artifact = await loadModelArtifact(home, String(m.id)).catch(absentAs(null));
      version.artifact = artifact;
      const held = artifact ? artifact.trainRows.filter((i) => droppedRows.has(i)).length : 0;
      entries.push({
        store: 'model artifact',
        owner: 'traceprop',
        location: artifact?.dir ?? String(m.artifactPath ?? ''),
        state: !artifact ? 'not present' : held > 0 ? 'present' : 'not present',
        count: held,
        detail: !artifact
          ? `model ${m.id} (version ${m.version}) has no artifact`
          : held > 0
            ? `model ${m.id} (version ${m.version}, ${m.status}) was fitted on ${held} dropped samples and its parameters are still on disk`
            : `model ${m.id} (version ${m.version}, ${m.status}${m.produced ? ', produced by this request' : ''}) trains on none of them`,
      });
    }
    entries.push(await fittedStateEntry(client, home, runId, matrix, versions));
  }
  return entries;
}

async function sourceFileEntry(f: {
  id: string;
  name: string;
  path: string | null;
  rows: number;
}): Promise<InventoryEntry> {
  const base = {
    store: 'source file',
    owner: 'data owner' as const,
    location: f.path ?? f.name,
    count: f.rows,
  };
  if (!f.path) return { ...base, state: 'unknown', detail: `${f.name}: no path recorded` };
  const digest = await sha256OfFile(f.path).catch(absentAs(null));
  if (digest === null)
    return { ...base, state: 'not present', detail: `${f.name} is no longer at ${f.path}` };
  return digest === f.id
    ? {
        ...base,
        state: 'present',
        detail: `${f.name} (sha256 ${f.id.slice(0, 12)}…) still holds the ${f.rows} erased rows: Traceprop does not own it; its owner must erase them`,
      }
    : { ...base, state: 'unknown', detail: `${f.path} has changed since it was ingested (sha256 differs)` };
}

function sha256OfFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** A catch handler: missing things (ENOENT, a missing artifact or matrix) become `value`. */
function absentAs<T>(value: T): (err: unknown) => T {
  return (err) => {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return value;
    if (err instanceof TracepropError && /^models\.no/.test(err.code)) return value;
    throw err;
  };
}
