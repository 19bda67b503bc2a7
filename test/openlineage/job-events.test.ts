import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../src/config.js';
import { runReadQuery } from '../../src/graph/read-query.js';
import { modelIdForJob } from '../../src/jobs/train/run-train-job.js';
import { openLineageRunId } from '../../src/openlineage/lineage-names.js';
import { submitJob } from '../../src/queue/submit-job.js';
import { openRig, settled } from '../queue/queue-harness.js';
import { expectCliError, runTraceprop } from '../support/cli.js';
import { openLineageValidator } from '../support/openlineage-spec.js';
import { requireDataset } from '../support/require-dataset.js';
import { newGraphClient } from '../support/services.js';

interface Dataset {
  namespace: string;
  name: string;
}

interface Event {
  eventType: string;
  eventTime: string;
  run: { runId: string; facets: Record<string, Record<string, unknown>> };
  job: { namespace: string; name: string };
  inputs: Dataset[];
  outputs: (Dataset & { facets?: Record<string, Record<string, unknown>> })[];
}

const parseLines = (text: string): Event[] =>
  text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Event);

function assertValid(events: unknown[]): void {
  assert.ok(events.length > 0, 'events were emitted');
  const validator = openLineageValidator();
  for (const e of events) assert.deepEqual(validator.problems(e), [], JSON.stringify(e).slice(0, 400));
}

describe('OpenLineage: train and erasure jobs emit START and COMPLETE; `openlineage export` replays the graph', function () {
  this.timeout(300_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-ol-jobs-'));
  const german = path.join(packageRoot, 'pipelines', 'german-credit.yaml');
  // A home of its own with a signing key: every job's COMPLETE names its signed statement.
  const home = path.join(tmp, 'home');
  const env = (file?: string): Record<string, string> => ({
    TRACEPROP_HOME: home,
    ...(file ? { TRACEPROP_OPENLINEAGE_TRANSPORT: 'file', TRACEPROP_OPENLINEAGE_FILE: file } : {}),
  });
  const statementPattern = /^[0-9a-f]{64}$/;
  let runId = '';
  let modelId = '';
  let trainRunId = '';
  let erasureRunId = '';
  let erasedModelId = '';
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  before(async () => {
    const dir = requireDataset('german_credit');
    await runTraceprop(['keys', 'init', '--json'], { env: env() });
    runId = (await runTraceprop(['ingest', german, '--data', dir, '--json'], { env: env() }))
      .ok()
      .json<{ runId: string }>().runId;
  });

  it('a train emits valid START and COMPLETE: job train.<pipeline>, run id = the model, parent = the ingest run, samples in, model out', async () => {
    const file = path.join(tmp, 'train.jsonl');
    const model = (await runTraceprop(['train', runId, '--json'], { env: env(file) }))
      .ok()
      .json<{ modelId: string; predictions: number; metrics: { trainRows: number } }>();
    modelId = model.modelId;
    const events = parseLines(fs.readFileSync(file, 'utf8'));
    assert.deepEqual(
      events.map((e) => e.eventType),
      ['START', 'COMPLETE'],
    );
    assertValid(events);
    const [start, complete] = events;
    trainRunId = openLineageRunId(modelId);
    for (const e of events) {
      assert.equal(e.job.name, 'train.german-credit');
      assert.equal(e.run.runId, trainRunId);
      assert.deepEqual(e.run.facets.parent.run, { runId });
      assert.deepEqual(e.run.facets.parent.job, { namespace: 'traceprop', name: 'ingest.german-credit' });
      assert.deepEqual(
        e.inputs.map((d) => [d.namespace, d.name]),
        [['traceprop://traceprop', `runs/${runId}/samples`]],
      );
    }
    assert.deepEqual(start.outputs, []);
    assert.deepEqual(
      complete.outputs.map((d) => d.name),
      [`models/${modelId}`],
    );
    const traceprop = complete.run.facets.traceprop;
    assert.equal(traceprop.id, modelId);
    assert.match(
      (traceprop.statement as { id: string }).id,
      statementPattern,
      'the model’s signed statement',
    );
    assert.deepEqual(traceprop.counts, {
      trainRows: model.metrics.trainRows,
      testRows: model.predictions,
      predictions: model.predictions,
    });
  });

  it('an erasure emits valid START and COMPLETE naming the erased rows by id, file hash and salted key hashes only, the files and the models', async () => {
    const file = path.join(tmp, 'erasure.jsonl');
    const rows = [3, 17];
    const out = (
      await runTraceprop(
        [
          'unlearn',
          '--model',
          modelId,
          '--file',
          'german.data',
          '--rows',
          rows.join(','),
          '--local',
          '--json',
        ],
        { env: env(file) },
      )
    )
      .ok()
      .json<{ requestId: string; modelId: string; previousModelId: string; affectedSamples: number }>();
    const text = fs.readFileSync(file, 'utf8');
    const events = parseLines(text);
    assert.deepEqual(
      events.map((e) => e.eventType),
      ['START', 'COMPLETE'],
    );
    assertValid(events);
    const [start, complete] = events;
    erasureRunId = out.requestId;
    erasedModelId = out.modelId;
    for (const e of events) {
      assert.equal(e.job.name, 'erasure');
      assert.equal(e.run.runId, out.requestId);
      assert.deepEqual(e.run.facets.parent.run, { runId: trainRunId }, 'parent: the model’s train run');
      assert.equal((e.run.facets.parent.job as { name: string }).name, 'train.german-credit');
    }
    assert.deepEqual(
      start.inputs.map((d) => d.name),
      [`models/${modelId}`],
    );
    const dataFile = requireDataset('german_credit/german.data');
    assert.deepEqual(
      complete.inputs.map((d) => [d.namespace, d.name]),
      [
        ['file', dataFile],
        ['traceprop://traceprop', `models/${modelId}`],
      ],
    );
    assert.notEqual(out.modelId, modelId, 'a new version');
    assert.deepEqual(
      complete.outputs.map((d) => d.name),
      [`models/${out.modelId}`],
    );
    const traceprop = complete.run.facets.traceprop as {
      erasedRows: { id: string; fileSha256: string; keyHash?: string; subjectHash?: string }[];
      counts: Record<string, number>;
      certificate: Record<string, unknown>;
    };
    for (const r of traceprop.erasedRows) {
      assert.equal(r.id.slice(0, r.id.lastIndexOf(':')), r.fileSha256, 'the row id names its file hash');
      assert.match(r.fileSha256, /^[0-9a-f]{64}$/);
      for (const k of Object.keys(r))
        assert.ok(['id', 'fileSha256', 'keyHash', 'subjectHash'].includes(k), k);
    }
    const client = newGraphClient();
    const tombstones = await runReadQuery(
      client,
      'MATCH (t:Tombstone) WHERE t.id IN $ids RETURN t.id AS id, t.keyHash AS keyHash, t.subjectHash AS subjectHash',
      { ids: traceprop.erasedRows.map((r) => r.id) },
    ).finally(() => client.driver.close());
    assert.equal(tombstones.length, rows.length, 'each erased row has its Tombstone');
    for (const t of tombstones) {
      const r = traceprop.erasedRows.find((e) => e.id === t.id);
      assert.equal(r?.keyHash, t.keyHash ?? undefined, "the key hash is the tombstone's");
      assert.equal(r?.subjectHash, t.subjectHash ?? undefined, "the subject hash is the tombstone's");
    }
    assert.deepEqual(
      traceprop.erasedRows.map((r) => Number(r.id.slice(r.id.lastIndexOf(':') + 1))).sort((a, b) => a - b),
      rows,
    );
    assert.equal(traceprop.counts.erasedRows, rows.length);
    assert.equal(traceprop.counts.affectedSamples, out.affectedSamples);
    assert.equal(typeof traceprop.certificate.fallback, 'boolean');
    const signed = complete.run.facets.traceprop.statements as { id: string; logIndex: number }[];
    assert.equal(signed.length, 1, 'one line, one erasure statement');
    assert.match(signed[0].id, statementPattern);
    assert.deepEqual(complete.run.facets.traceprop.statement, signed[0]);
    const lines = fs.readFileSync(dataFile, 'utf8').split('\n');
    for (const r of rows)
      assert.ok(!text.includes(lines[r].trim()), `row ${r}'s values are not in the events`);
  });

  it('`openlineage export --run ID` prints valid events of the run (with column lineage) and its model; an unknown id is refused', async () => {
    const out = (await runTraceprop(['openlineage', 'export', '--run', runId], { env: env() })).ok();
    const events = parseLines(out.stdout);
    assertValid(events);
    assert.deepEqual(
      events.map((e) => [e.eventType, e.job.name, e.run.runId]),
      [
        ['START', 'ingest.german-credit', runId],
        ['COMPLETE', 'ingest.german-credit', runId],
        ['START', 'train.german-credit', trainRunId],
        ['COMPLETE', 'train.german-credit', trainRunId],
      ],
    );
    const complete = events[1];
    assert.deepEqual(
      complete.inputs.map((d) => d.name),
      [requireDataset('german_credit/german.data')],
    );
    const samples = complete.outputs[0];
    assert.equal(samples.name, `runs/${runId}/samples`);
    assert.ok(Object.keys(samples.facets?.columnLineage.fields as object).length > 0, 'column lineage');
    assert.deepEqual(events[3].run.facets.parent.run, { runId });
    assert.ok(events[0].eventTime <= events[1].eventTime && events[1].eventTime <= events[2].eventTime);

    const later = (await runTraceprop(['openlineage', 'export', '--since', '2999-01-01'])).ok();
    assert.equal(later.stdout.trim(), '', 'no run started after 2999');
    expectCliError(
      await runTraceprop(['openlineage', 'export', '--run', 'no-such-run']),
      'openlineage.unknownRun',
      /no-such-run/,
      1,
    );
  });

  it('queued train and attribution jobs emit valid events from the worker before they return; attribution’s parent is the run that made its model version', async () => {
    const file = path.join(tmp, 'queue.jsonl');
    const train = openRig('train');
    const attribution = openRig('attribution');
    try {
      for (const rig of [train, attribution]) rig.startWorker({ env: env(file), home });
      const submitted = await submitJob(
        'train',
        { runId, lambda: 0.01 },
        { connection: train.connection, prefix: train.prefix, queue: train.queue },
      );
      assert.equal((await settled(train.queue, submitted.jobId)).state, 'completed');
      const trained = parseLines(fs.readFileSync(file, 'utf8'));
      assert.deepEqual(
        trained.map((e) => [e.eventType, e.job.name, e.run.runId]),
        ['START', 'COMPLETE'].map((t) => [
          t,
          'train.german-credit',
          openLineageRunId(modelIdForJob(submitted.jobId)),
        ]),
        'the processor flushed its events before the job completed',
      );
      const job = await submitJob(
        'attribution',
        { modelId: erasedModelId, samples: 'test', top: 3 },
        { connection: attribution.connection, prefix: attribution.prefix, queue: attribution.queue },
      );
      assert.equal((await settled(attribution.queue, job.jobId)).state, 'completed');
      const events = parseLines(fs.readFileSync(file, 'utf8')).slice(2);
      assertValid([...trained, ...events]);
      assert.deepEqual(
        events.map((e) => [e.eventType, e.job.name, e.run.runId]),
        ['START', 'COMPLETE'].map((t) => [t, 'attribution', openLineageRunId(job.jobId)]),
      );
      for (const e of events) {
        assert.deepEqual(e.run.facets.parent.run, { runId: erasureRunId }, 'made by the erasure');
        assert.equal((e.run.facets.parent.job as { name: string }).name, 'erasure');
        assert.deepEqual(
          e.inputs.map((d) => d.name),
          [`models/${erasedModelId}`],
        );
      }
      const complete = events[1];
      assert.deepEqual(
        complete.outputs.map((d) => d.name),
        [`models/${erasedModelId}/influences`],
      );
      const counts = complete.run.facets.traceprop.counts as Record<string, number>;
      assert.ok(counts.influencedBy > 0 && counts.predictions > 0, JSON.stringify(counts));
      assert.match(
        (complete.run.facets.traceprop.statement as { id: string }).id,
        statementPattern,
        'the attribution statement',
      );
    } finally {
      await attribution.cleanup();
      await train.cleanup();
    }
  });
});
