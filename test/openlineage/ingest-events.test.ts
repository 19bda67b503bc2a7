import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../src/config.js';
import { openLineageEmitter } from '../../src/openlineage/lineage-emitter.js';
import { runEvent } from '../../src/openlineage/run-event.js';
import { loadPipelineSpec } from '../../src/pipeline-spec/load-pipeline-spec.js';
import { runTraceprop } from '../support/cli.js';
import { openLineageValidator, specExampleEvents } from '../support/openlineage-spec.js';
import { requireDataset } from '../support/require-dataset.js';

interface Event {
  eventType: string;
  run: { runId: string; facets: Record<string, Record<string, unknown>> };
  job: { namespace: string; name: string };
  inputs: { namespace: string; name: string }[];
  outputs: {
    name: string;
    facets: {
      columnLineage: {
        fields: Record<
          string,
          { inputFields: { name: string; field: string; transformations: { type: string }[] }[] }
        >;
      };
    };
    outputFacets: { outputStatistics: { rowCount: number } };
  }[];
}

const readEvents = (file: string): Event[] =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Event);

function assertValid(events: unknown[]): void {
  const validator = openLineageValidator();
  for (const e of events) assert.deepEqual(validator.problems(e), [], JSON.stringify(e).slice(0, 400));
}

/** A local HTTP receiver whose answer the test sets; it records what it accepted. */
async function receiver(answer: { status: number; hang?: boolean }) {
  const received: { auth?: string; event: Event }[] = [];
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      if (answer.hang) return;
      if (answer.status < 300 && req.url === '/api/v1/lineage')
        received.push({ auth: req.headers.authorization, event: JSON.parse(body) });
      res.writeHead(answer.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('OpenLineage: ingest emits START and COMPLETE/FAIL events valid against the specification', function () {
  this.timeout(180_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-ol-'));
  const german = path.join(packageRoot, 'pipelines', 'german-credit.yaml');
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('the validator accepts every example of spec/tests (facets wrapped into events where their schemas place them) and names what is wrong in a broken event', () => {
    const validator = openLineageValidator();
    const examples = specExampleEvents();
    for (const e of examples) assert.deepEqual(validator.problems(e.event), [], e.file);
    assert.ok(examples.length >= 30, `${examples.length} examples`);
    const broken = runEvent({
      eventType: 'COMPLETE',
      runId: 'not-a-uuid',
      job: { namespace: 'n', name: 'j' },
    });
    assert.match(validator.problems(broken).join('\n'), /runId must match format "uuid"/);
    const badFacet = {
      ...broken,
      run: { runId: '3f1e4a52-6c9b-4d1e-8f3a-2b7c9d0e1f2a', facets: { errorMessage: { _producer: 'x' } } },
    };
    assert.match(validator.problems(badFacet).join('\n'), /errorMessage/);
  });

  it('a file-transport ingest writes START then COMPLETE with every feature’s column lineage, the row count and the Traceprop counts', async () => {
    const dir = requireDataset('german_credit');
    const file = path.join(tmp, 'events.jsonl');
    const out = await runTraceprop(['ingest', german, '--data', dir, '--json'], {
      env: { TRACEPROP_OPENLINEAGE_TRANSPORT: 'file', TRACEPROP_OPENLINEAGE_FILE: file },
    });
    const r = out
      .ok()
      .json<{ runId: string; samples: number; sourceRows: number; provenanceEdges: number }>();
    const events = readEvents(file);
    assert.deepEqual(
      events.map((e) => e.eventType),
      ['START', 'COMPLETE'],
    );
    assertValid(events);
    const [start, complete] = events;
    assert.equal(start.run.runId, r.runId, 'a UUID run id is the OpenLineage runId');
    assert.equal(complete.run.runId, r.runId);
    assert.equal(complete.job.name, 'ingest.german-credit');
    assert.deepEqual(
      complete.inputs.map((d) => [d.namespace, d.name]),
      [['file', path.join(dir, 'german.data')]],
    );
    const output = complete.outputs[0];
    assert.equal(output.name, `runs/${r.runId}/samples`);
    assert.equal(output.outputFacets.outputStatistics.rowCount, r.samples);
    const pipeline = loadPipelineSpec(german);
    const fields = output.facets.columnLineage.fields;
    assert.deepEqual(Object.keys(fields).sort(), Object.keys(pipeline.featureSources).sort());
    for (const [feature, sources] of Object.entries(pipeline.featureSources))
      assert.deepEqual(
        fields[feature].inputFields
          .filter((f) => f.transformations.some((t) => t.type === 'DIRECT'))
          .map((f) => `german.${f.field}`),
        [...sources],
        `lineage of ${feature}`,
      );
    const counts = complete.run.facets.traceprop.counts as Record<string, number>;
    assert.deepEqual(
      [counts.samples, counts.sourceRows, counts.provenanceEdges],
      [r.samples, r.sourceRows, r.provenanceEdges],
    );
  });

  it('a failed ingest ends with FAIL and its error message; the job fails as it would without events', async () => {
    const dir = path.join(tmp, 'bad-german');
    fs.mkdirSync(dir);
    const lines = fs.readFileSync(requireDataset('german_credit/german.data'), 'utf8').split('\n');
    lines[3] = lines[3].replace(/^(\S+) (\S+)/, '$1 six'); // Duration (integer) is "six"
    fs.writeFileSync(path.join(dir, 'german.data'), lines.join('\n'));
    const file = path.join(tmp, 'failed.jsonl');
    const out = await runTraceprop(['ingest', german, '--data', dir, '--json'], {
      env: { TRACEPROP_OPENLINEAGE_TRANSPORT: 'file', TRACEPROP_OPENLINEAGE_FILE: file },
    });
    assert.notEqual(out.code, 0);
    const events = readEvents(file);
    assert.deepEqual(
      events.map((e) => e.eventType),
      ['START', 'FAIL'],
    );
    assertValid(events);
    const message = String(events[1].run.facets.errorMessage.message);
    assert.ok(message.length > 0 && out.stderr.includes(message.slice(0, 40)), `${message}\n${out.stderr}`);
  });

  it('an endpoint that refuses keeps the events in the spool and the ingest succeeds; the next process sends them first, in order', async () => {
    const home = path.join(tmp, 'home');
    const closed = await receiver({ status: 200 });
    const downUrl = closed.url;
    await closed.close(); // nothing listens there now
    const dir = requireDataset('german_credit');
    const out = await runTraceprop(['ingest', german, '--data', dir, '--json'], {
      env: { OPENLINEAGE_URL: downUrl, TRACEPROP_HOME: home, OPENLINEAGE_API_KEY: 'sekret-key-123' },
    });
    const r = out.ok().json<{ runId: string }>();
    assert.ok(!out.stderr.includes('sekret-key-123'), 'the API key never reaches the logs');
    assert.match(out.stderr, /not delivered/);
    const spool = path.join(home, 'openlineage', 'spool.jsonl');
    assert.deepEqual(
      readEvents(spool).map((e) => [e.eventType, e.run.runId]),
      [
        ['START', r.runId],
        ['COMPLETE', r.runId],
      ],
    );

    const up = await receiver({ status: 201 });
    try {
      const emitter = openLineageEmitter(
        {
          transport: 'http',
          url: up.url,
          apiKey: 'sekret-key-123',
          namespace: 'traceprop',
          file: '',
          spool,
        },
        () => {},
      );
      emitter.emit(
        runEvent({
          eventType: 'START',
          runId: '3f1e4a52-6c9b-4d1e-8f3a-2b7c9d0e1f2a',
          job: { namespace: 'traceprop', name: 'later' },
        }),
      );
      const report = await emitter.flush(10_000);
      assert.deepEqual(report, { delivered: 3, spooled: 0, failed: 0 });
      assert.deepEqual(
        up.received.map((x) => [x.event.eventType, x.event.job.name]),
        [
          ['START', 'ingest.german-credit'],
          ['COMPLETE', 'ingest.german-credit'],
          ['START', 'later'],
        ],
      );
      assert.ok(up.received.every((x) => x.auth === 'Bearer sekret-key-123'));
      assert.equal(fs.existsSync(spool), false, 'the spool is empty once delivered');
    } finally {
      await up.close();
    }
  });

  it('a 500 is retried then spooled, a 400 is not retried, a hanging endpoint does not hold the command past its flush bound', async () => {
    const spool = path.join(tmp, 'spool-2.jsonl');
    const event = runEvent({
      eventType: 'START',
      runId: '3f1e4a52-6c9b-4d1e-8f3a-2b7c9d0e1f2a',
      job: { namespace: 'traceprop', name: 'x' },
    });
    const config = { transport: 'http' as const, namespace: 'traceprop', file: '', spool };
    for (const [status, requests] of [
      [500, 3],
      [400, 1],
    ] as const) {
      const server = await receiver({ status });
      try {
        const warnings: string[] = [];
        const emitter = openLineageEmitter({ ...config, url: server.url }, (m) => warnings.push(m));
        emitter.emit(event);
        assert.deepEqual(await emitter.flush(20_000), { delivered: 0, spooled: 1, failed: 0 });
        assert.equal(server.requests(), requests, `HTTP ${status}: requests`);
        assert.match(warnings.join('\n'), new RegExp(`HTTP ${status}`));
      } finally {
        await server.close();
      }
      assert.equal(readEvents(spool).length, 1);
      fs.rmSync(spool);
    }
    const hanging = await receiver({ status: 200, hang: true });
    try {
      const emitter = openLineageEmitter({ ...config, url: hanging.url }, () => {});
      emitter.emit(event);
      const started = performance.now();
      const report = await emitter.flush(1_000);
      assert.ok(performance.now() - started < 3_000, 'flush returns at its bound');
      assert.deepEqual(report, { delivered: 0, spooled: 1, failed: 0 });
    } finally {
      await hanging.close();
    }
  });
});
