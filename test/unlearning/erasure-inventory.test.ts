import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { filesUnder } from '../../bench/support/leak-scan.js';
import { runAttributionJob } from '../../src/jobs/attribution/run-attribution-job.js';
import { trainRunModel } from '../../src/jobs/train/run-train-job.js';
import type { ErasureInventory, InventoryEntry } from '../../src/jobs/unlearning/erasure-inventory.js';
import type { EncoderDriftEntry } from '../../src/jobs/unlearning/write-encoder-drift.js';
import { loadModelArtifact, modelDir } from '../../src/models/model-artifact-store.js';
import { loadRunMatrix, runDir } from '../../src/models/run-matrix-store.js';
import { openQueue } from '../../src/queue/open-queue.js';
import { startQueueWorker } from '../../src/queue/start-queue-worker.js';
import { useTrainedRun } from '../models/ingested-run.js';
import { runTraceprop } from '../support/cli.js';
import { newRedisConnection, obliterateQueueKeys, trackBullmq, uniqueQueueName } from '../support/queue.js';
import { testServices } from '../support/services.js';

const processor = fileURLToPath(new URL('../../src/queue/processors/unlearning.js', import.meta.url));

/** Every file under `dir`, recursively. */

/**
 * Issue 12 item 3: the erasure inventory states each store's condition, and each entry is
 * checked here against the store itself (graph, run matrix, model artifacts, Redis, the file).
 */
describe('erasure inventory (traceprop erasure show, unlearn --json)', () => {
  const { graph, suite, query } = useTrainedRun(300, 93);

  it('states what each store holds after a queued erasure by business key, and every state is true of the store', async function () {
    this.timeout(240_000);
    const { home, config } = testServices();
    // A second model line on the run (the request updates the first one only).
    const other = await trainRunModel({ client: graph(), home, runId: suite.run.runId, lambda: 1e-1 });
    await runAttributionJob(
      { client: graph(), home, jobId: `attr-${randomUUID()}`, attempt: 1, progress: async () => {} },
      { modelId: suite.modelId, samples: 'test', top: 5, method: 'ns' },
    );
    const [victim] = await query(
      `MATCH (p:Prediction)-[:INFLUENCED_BY]->(s:Sample)-[:DERIVED_FROM]->(r:SourceRow)-[:IN_FILE]->(:SourceFile {table: 'application'})
       WITH s, r, count(p) AS n ORDER BY n DESC, s.id LIMIT 1
       RETURN s.id AS sample, r.key AS key`,
    );
    const key = String(victim.key);
    const connection = newRedisConnection();
    const prefix = `${uniqueQueueName('inv')}-`;
    const worker = trackBullmq(
      'worker',
      startQueueWorker({
        kind: 'unlearning',
        prefix,
        connection,
        processorFile: processor,
        home,
        graph: {
          uri: config.neo4jUri,
          user: config.neo4jUser,
          password: config.neo4jPassword,
          database: config.neo4jDatabase,
        },
      }),
    );
    const queue = trackBullmq('queue', openQueue('unlearning', { connection, prefix }));
    try {
      const out = (
        await runTraceprop(
          ['unlearn', '--model', suite.modelId, '--key', `SK_ID_CURR=${key}`, '--wait', '--json'],
          { env: { TRACEPROP_QUEUE_PREFIX: prefix } },
        )
      )
        .ok()
        .json<{
          requestId: string;
          modelId: string;
          inventory: ErasureInventory;
          encoderDrift: EncoderDriftEntry;
        }>();
      const inv = out.inventory;
      const entry = (store: string) => inv.entries.filter((e) => e.store === store);
      const one = (store: string): InventoryEntry => {
        const found = entry(store);
        assert.equal(found.length, 1, `one ${store} entry: ${JSON.stringify(inv.entries)}`);
        return found[0];
      };
      assert.equal(inv.status, 'complete');

      // Graph: rows are skeletons, the recorded target holds no plain key, samples and edges are gone.
      const rows = await query(
        'MATCH (:UnlearningRequest {id: $id})-[:TARGETS]->(r:SourceRow) RETURN keys(r) AS k',
        { id: out.requestId },
      );
      assert.equal(one('graph: source rows').state, 'skeleton');
      assert.equal(one('graph: source rows').count, rows.length);
      for (const r of rows)
        assert.deepEqual([...(r.k as string[])].sort(), ['erased', 'erasedAt', 'erasedBy', 'id', 'row']);
      const [request] = await query('MATCH (u:UnlearningRequest {id: $id}) RETURN u.target AS t', {
        id: out.requestId,
      });
      assert.equal(one('graph: request record').state, 'skeleton');
      assert.ok(!String(request.t).includes(key), `the request record holds no plain key: ${request.t}`);
      assert.ok(JSON.parse(String(request.t)).keyHashes.length === 1);
      assert.equal(one('graph: samples').state, 'erased');
      const [edges] = await query(
        'MATCH (:Prediction)-[i:INFLUENCED_BY]->(:Sample {id: $s}) RETURN count(i) AS n',
        {
          s: victim.sample,
        },
      );
      assert.equal(edges.n, 0);
      assert.equal(one('graph: attribution edges').state, 'erased');

      // The run matrix still holds the dropped sample's row, because the other line (active, not
      // updated: `--model`) still reads it: the entry says so, and it is true.
      const matrix = await loadRunMatrix(home, suite.run.runId);
      const row = matrix.sampleIds.indexOf(String(victim.sample));
      assert.ok(row >= 0);
      assert.ok(!matrix.scrubbedRows?.has(row));
      assert.ok(matrix.features.rowPtr[row + 1] > matrix.features.rowPtr[row], 'the row still has features');
      const m = one('run matrix');
      assert.equal(m.location, path.join(runDir(home, suite.run.runId), 'matrix.bin'));
      assert.deepEqual([m.state, m.count], ['present', 1]);

      // Model artifacts: the superseded version was fitted on the row, so its parameters are
      // deleted (model.json stays); the other line still trains on it; the new version does not.
      const artifacts = entry('model artifact');
      assert.equal(artifacts.length, 3, JSON.stringify(artifacts));
      const old = artifacts.find((a) => a.location === modelDir(home, suite.modelId));
      assert.equal(old?.state, 'skeleton', JSON.stringify(old));
      assert.ok(!fs.existsSync(path.join(modelDir(home, suite.modelId), 'params.bin')));
      assert.ok(fs.existsSync(path.join(modelDir(home, suite.modelId), 'model.json')));
      await assert.rejects(loadModelArtifact(home, suite.modelId), { code: 'models.shredded' });
      for (const [id, held] of [
        [other.modelId, true],
        [out.modelId, false],
      ] as const) {
        const artifact = await loadModelArtifact(home, id);
        const holds = artifact.trainRows.includes(row);
        assert.equal(holds, held, `${id} ${held ? 'holds' : 'does not hold'} the row`);
        const e = artifacts.find((a) => a.location === artifact.dir);
        assert.ok(e, `an entry for ${id}`);
        assert.equal(e.state, held ? 'present' : 'not present');
      }

      // The fitted encoder state: the erased applicant shares each of its one-hot levels with
      // remaining applicants, so no level text is theirs alone (the line's recorded drift agrees).
      const fitted = one('fitted encoder state');
      assert.deepEqual([fitted.state, fitted.count], ['not present', 0], fitted.detail);
      assert.equal(out.encoderDrift.levelsOnlyErased, 0);

      // The queue payload named the key; it is redacted after the write-back.
      const jobs = await queue.getJobs(['completed'], 0, -1, true);
      const mine = jobs.filter((j) => j?.data?.requestId === out.requestId);
      assert.equal(mine.length, 1);
      assert.ok(!JSON.stringify(mine[0]?.data).includes(key), JSON.stringify(mine[0]?.data));
      assert.equal(one('queue payload').state, 'skeleton');
      assert.ok(!JSON.stringify(mine[0]?.returnvalue).includes(key), 'the job result holds no key');

      // The source file is the data owner's: present at its path with the ingested sha256.
      const file = one('source file');
      assert.equal(file.owner, 'data owner');
      assert.equal(file.state, 'present');
      assert.ok(fs.readFileSync(file.location, 'utf8').includes(key));
      const [f] = await query("MATCH (f:SourceFile {table: 'application', path: $p}) RETURN f.id AS id", {
        p: file.location,
      });
      assert.equal(createHash('sha256').update(fs.readFileSync(file.location)).digest('hex'), f.id);

      // Stores Traceprop owns that the inventory calls present are exactly the matrix and the other line.
      assert.equal(inv.ownedStoresHolding, 2);
      // The plain key is in no file Traceprop wrote for this run (its matrix, its models' artifacts).
      const ownDirs = [
        runDir(home, suite.run.runId),
        ...[suite.modelId, other.modelId, out.modelId].map((id) => modelDir(home, id)),
      ];
      for (const written of ownDirs.flatMap(filesUnder))
        assert.ok(!fs.readFileSync(written).includes(Buffer.from(`"${key}"`)), `${written} holds the key`);

      // `erasure show` prints the same inventory.
      const shown = (
        await runTraceprop(['erasure', 'show', out.requestId, '--json'], {
          env: { TRACEPROP_QUEUE_PREFIX: prefix },
        })
      )
        .ok()
        .json<ErasureInventory>();
      assert.deepEqual(shown.entries, inv.entries);
      const unknown = await runTraceprop(['erasure', 'show', 'no-such-request']);
      assert.equal(unknown.errorCode(), 'unlearning.unknownRequest');
    } finally {
      await worker.close();
      await queue.close();
      await obliterateQueueKeys(connection, `${prefix}unlearning`);
      const ended = new Promise((resolve) => connection.once('end', resolve));
      await connection.quit();
      await ended;
    }
  });
});
