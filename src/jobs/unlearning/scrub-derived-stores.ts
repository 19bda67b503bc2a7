import type { ArtifactHome } from '../../artifacts/artifact-home.js';
import { TracepropError } from '../../errors.js';
import { type GraphClient, withSession } from '../../graph/connection.js';
import { cypherText } from '../../graph/cypher-library.js';
import { splitRows } from '../../models/labelled-rows-of.js';
import {
  loadModelArtifact,
  type ModelArtifact,
  modelArtifactState,
  shredModelParams,
} from '../../models/model-artifact-store.js';
import {
  type LoadedRunMatrix,
  loadRunMatrix,
  type RunMatrixScrubResult,
  scrubRunMatrix,
} from '../../models/run-matrix-store.js';
import { sampleRowIndex } from '../../models/sample-row-index.js';
import { encoderFitBaseline } from './encoder-drift.js';

/** What {@link scrubDerivedStores} did to a run's stores. */
export interface DerivedStoresScrub {
  runId: string;
  /** The run matrix: rows scrubbed and keys blanked now, its hash before and after. */
  matrix: RunMatrixScrubResult;
  /**
   * Rows of erased or re-derived samples left in the run matrix because an active model still
   * reads them from there (a line the request did not update, e.g. with `--model`).
   */
  rowsStillRead: number;
  /** Why the run matrix was not scrubbed at all (an active model's artifact could not be read). */
  matrixBlockedBy?: string;
  /** Model versions whose parameters were deleted now, with the request whose rows they held. */
  shreddedModels: { id: string; requestId: string }[];
  /**
   * Where the scrub's time went, seconds: the plan query (under the Run's lock), the run
   * matrix (what active models read, the copy without the rows, its hash), the superseded
   * versions' parameters; `total` includes the commit.
   */
  seconds: { plan: number; matrix: number; models: number; total: number };
}

interface PlanModel {
  id: string;
  status: string;
  /** Epoch milliseconds. */
  trainedAt: number;
  shredded: boolean;
  covered: string[];
}

interface PlanRequest {
  id: string;
  /** When its first line committed, epoch milliseconds. */
  committedAt: number;
  samples: string[];
}

/**
 * Scrubs what an erasure left in a run's derived stores on disk, once its model lines have
 * committed (cumulative over every request on the run, so it is idempotent and a retry or a later
 * request finishes what a crash left):
 * - the run matrix (copy-on-write, `scrubRunMatrix`): the feature rows of dropped and re-derived
 *   samples that no active model reads from it any more (active versions take re-derived rows
 *   from their own artifact), the dropped samples' labels and business keys;
 * - the parameters of every model version that is not active and was fitted on rows a request
 *   erased after it was trained (`shredModelParams`: `params.bin` deleted, `model.json` and the
 *   Model node keep the hashes and say who and when).
 * Active versions are never touched. One scrub per run at a time: it holds the Run node's write
 * lock in one transaction (the files are written inside it, because that lock is what keeps two
 * hosts from scrubbing one run's files at once; a retried transaction redoes the idempotent
 * steps, and a version a failed attempt shredded on disk is recorded on the graph by the next,
 * from its manifest). `loaded`: the run's matrix as the request's lines loaded it (read again only
 * when a scrub since has changed it); `artifacts`: model artifacts the request loaded or saved, by
 * id (others are read from disk).
 *
 * @throws NotFoundError `models.noRunMatrix` when the run has no saved matrix.
 */
export async function scrubDerivedStores(
  client: GraphClient,
  home: ArtifactHome,
  runId: string,
  requestId: string,
  loaded?: LoadedRunMatrix,
  artifacts?: ReadonlyMap<string, ModelArtifact>,
): Promise<DerivedStoresScrub> {
  // An artifact this request loaded (verified) or saved is read from memory, not from disk again.
  const artifactOf = async (id: string): Promise<ModelArtifact> =>
    artifacts?.get(id) ?? (await loadModelArtifact(home, id));
  const started = performance.now();
  const scrub = await withSession(client, (session) =>
    session.executeWrite(async (tx) => {
      const t0 = performance.now();
      const [plan] = (await tx.run(cypherText('jobs/unlearning', 'scrub-plan'), { runId })).records;
      const t1 = performance.now();
      if (!plan) throw new TracepropError('unlearning.failed', `run ${runId} is not in the graph any more`);
      const dropped = new Set(plan.get('dropped') as string[]);
      const rederived = new Set(plan.get('rederived') as string[]);
      const models = plan.get('models') as PlanModel[];
      const requests = plan.get('requests') as PlanRequest[];
      const matrix = await loadRunMatrix(home, runId, { reuse: loaded });
      const rowOf = sampleRowIndex(matrix);
      const rowsOf = (ids: Iterable<string>) =>
        [...ids].map((id) => rowOf.get(id)).filter((r): r is number => r !== undefined);
      const droppedRows = rowsOf(dropped);
      const droppedSet = new Set(droppedRows);
      const candidates = [...droppedRows, ...rowsOf(rederived)];

      // Rows an active model still reads from the run matrix (not from its own artifact).
      const read = new Set<number>();
      let matrixBlockedBy: string | undefined;
      for (const m of models.filter((x) => x.status === 'active')) {
        let artifact: ModelArtifact;
        try {
          artifact = await artifactOf(m.id);
        } catch (err) {
          matrixBlockedBy = `active model ${m.id}'s artifact could not be read (${(err as Error).message})`;
          break;
        }
        const own = new Set(artifact.replaced?.samples ?? []);
        for (const r of artifact.trainRows) if (!own.has(r)) read.add(r);
        // A dropped test sample is scored by no one again (every reader leaves erased samples
        // out), so a version that never trained on it does not keep its row in the matrix.
        for (const r of artifact.testRows ?? splitRows(matrix, 1))
          if (!own.has(r) && !droppedSet.has(r)) read.add(r);
      }
      const featureRows = matrixBlockedBy ? [] : candidates.filter((r) => !read.has(r));
      // Before the first scrub, keep what the encoder drift needs of the rows as fitted.
      const fitBaseline = matrix.scrubbedRows?.size ? undefined : (encoderFitBaseline(matrix) ?? undefined);
      const scrubbed = await scrubRunMatrix(
        home,
        runId,
        {
          requestId,
          featureRows,
          droppedRows,
          fitBaseline,
        },
        matrix,
      );

      const t2 = performance.now();
      const at = new Date().toISOString();
      // Only a version some request postdates and does not cover can hold one: read no other.
      // The versions are independent files: they are checked and shredded side by side.
      type Shredded = { id: string; requestId: string; at: string };
      const shredOne = async (m: PlanModel): Promise<Shredded | null> => {
        const artifact = await artifactOf(m.id).catch(() => null);
        if (!artifact) {
          // Shredded on disk by an attempt whose transaction did not commit (a crash, a retried
          // transaction): the graph records it now, as the manifest says.
          const state = await modelArtifactState(home, m.id).catch(() => null);
          return state?.shredded
            ? { id: m.id, requestId: state.shredded.requestId, at: state.shredded.at }
            : null;
        }
        const held = heldRequest(m, artifact, requests, matrix.sampleIds);
        if (!held) return null;
        await shredModelParams(home, m.id, { requestId: held, at });
        return { id: m.id, requestId: held, at };
      };
      const shreddedModels = (
        await Promise.all(
          models
            .filter((x) => x.status !== 'active' && !x.shredded && requests.some((r) => mayHold(x, r)))
            .map(shredOne),
        )
      ).filter((x): x is Shredded => x !== null);
      if (shreddedModels.length > 0)
        await tx.run(cypherText('write-back', 'record-shredded-models'), { shredded: shreddedModels });
      return {
        runId,
        matrix: scrubbed,
        rowsStillRead: matrixBlockedBy ? candidates.length : candidates.filter((r) => read.has(r)).length,
        ...(matrixBlockedBy ? { matrixBlockedBy } : {}),
        shreddedModels: shreddedModels.map(({ id, requestId: by }) => ({ id, requestId: by })),
        seconds: {
          plan: (t1 - t0) / 1000,
          matrix: (t2 - t1) / 1000,
          models: (performance.now() - t2) / 1000,
          total: 0,
        },
      };
    }),
  );
  scrub.seconds.total = (performance.now() - started) / 1000;
  return scrub;
}

/**
 * The first request whose rows a model version holds: a request that committed after the version
 * was trained, did not produce it or an earlier version of its line, and affected a sample the
 * version trained on or keeps a re-derived row of. Null: it holds none.
 */
function heldRequest(
  model: PlanModel,
  artifact: ModelArtifact,
  requests: PlanRequest[],
  sampleIds: string[],
): string | null {
  const samples = new Set<string>();
  for (const r of artifact.trainRows) samples.add(sampleIds[r]);
  for (const r of artifact.replaced?.samples ?? []) samples.add(sampleIds[r]);
  for (const request of requests)
    if (mayHold(model, request) && request.samples.some((id) => samples.has(id))) return request.id;
  return null;
}

/** Whether `request` committed after `model` was trained and neither produced it nor an earlier version of its line. */
function mayHold(model: PlanModel, request: PlanRequest): boolean {
  return !model.covered.includes(request.id) && model.trainedAt < request.committedAt;
}
