import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runReadQuery } from '../../src/graph/read-query.js';
import { type IngestedRun, ingestCreditRisk } from '../models/ingested-run.js';
import {
  call,
  createTestTokens,
  startTestServer,
  type TestServer,
  type TestTokens,
} from '../serve/serve-harness.js';
import { expectCliError, runTraceprop } from '../support/cli.js';
import { useCleanGraph } from '../support/graph.js';
import { openLineageValidator } from '../support/openlineage-spec.js';
import { testServices } from '../support/services.js';

const producer = 'https://example.com/data-platform/airflow';
const schemaURL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';

/** A RunEvent of an upstream job, as Airflow, Spark or dbt would send it. */
function runEvent(
  job: string,
  runId: string,
  eventType: 'START' | 'COMPLETE' | 'FAIL',
  time: string,
  inputs: { namespace: string; name: string; facets?: Record<string, unknown> }[],
  outputs: { namespace: string; name: string; facets?: Record<string, unknown> }[],
) {
  return {
    eventType,
    eventTime: time,
    producer,
    schemaURL,
    run: { runId, facets: {} },
    job: { namespace: 'platform', name: job, facets: {} },
    inputs,
    outputs,
  };
}

describe('OpenLineage events in: upstream jobs and datasets linked to the ingested files', function () {
  this.timeout(180_000);
  const graph = useCleanGraph();
  let run: IngestedRun;
  let files: { id: string; path: string; table: string }[];
  let sampleId: string;
  let dir: string;
  const count = async (cypher: string) => Number((await runReadQuery(graph(), cypher))[0].n);

  before(async () => {
    run = await ingestCreditRisk(graph(), testServices().home, 60, 71);
    files = (await runReadQuery(
      graph(),
      'MATCH (f:SourceFile) RETURN f.id AS id, f.path AS path, f.table AS table ORDER BY f.table',
    )) as typeof files;
    sampleId = `${run.runId}:s:0`;
    dir = fs.mkdtempSync(path.join(testServices().home, 'ol-import-'));
  });

  const fileOf = (table: string) => {
    const f = files.find((x) => x.table === table);
    assert.ok(f, `the run has a ${table} file`);
    return f;
  };

  /** dbt builds raw.applications from the CRM; a Spark export writes the application CSV (by path) and the bureau CSV (named by its content sha256 in another namespace); a failed run claims the previous-application file. */
  const upstreamEvents = () => {
    const application = fileOf('application');
    const bureau = fileOf('bureau');
    const previous = fileOf('previous_application');
    const crm = { namespace: 'postgres://crm.example.com:5432', name: 'crm.public.customers' };
    const raw = { namespace: 'bigquery', name: 'lake.raw.applications' };
    return [
      runEvent(
        'dbt_build_applications',
        '0d9a3f1e-5f5a-4b9f-8d33-3f4d1c2b1a01',
        'START',
        '2026-11-30T01:00:00Z',
        [crm],
        [raw],
      ),
      runEvent(
        'dbt_build_applications',
        '0d9a3f1e-5f5a-4b9f-8d33-3f4d1c2b1a01',
        'COMPLETE',
        '2026-11-30T01:05:00Z',
        [crm],
        [raw],
      ),
      runEvent(
        'spark_export_csv',
        '6b1c2e3d-0a4f-4c5e-9b8a-7d6e5f4a3b02',
        'COMPLETE',
        '2026-11-30T02:00:00Z',
        [raw],
        [
          { namespace: 'file', name: application.path },
          {
            namespace: 's3://exports',
            name: 'bureau.csv',
            facets: {
              version: {
                _producer: producer,
                _schemaURL:
                  'https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet',
                datasetVersion: bureau.id,
              },
            },
          },
        ],
      ),
      runEvent(
        'failed_export',
        '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c03',
        'FAIL',
        '2026-11-30T03:00:00Z',
        [raw],
        [{ namespace: 'file', name: previous.path }],
      ),
    ];
  };

  it('the events of the test are valid OpenLineage RunEvents (spec JSON Schema and facets)', () => {
    const validator = openLineageValidator();
    for (const e of upstreamEvents()) assert.deepEqual(validator.problems(e), [], JSON.stringify(e));
  });

  it('imports JSON lines: jobs, datasets, READ/WROTE edges and links to files by path and by sha256; again changes nothing', async () => {
    const file = path.join(dir, 'events.jsonl');
    fs.writeFileSync(
      file,
      `${upstreamEvents()
        .map((e) => JSON.stringify(e))
        .join('\n')}\n\n`,
    );
    const first = (await runTraceprop(['openlineage', 'import', file, '--json']))
      .ok()
      .json<Record<string, number>>();
    assert.equal(first.events, 4);
    assert.equal(first.jobs, 3);
    // The application file by path, the bureau file by its sha256, the previous-application file
    // by path (a failed run's output is still that file, though it wrote nothing).
    assert.equal(first.linkedFiles, 3);
    const shape = async () => ({
      jobs: await count('MATCH (j:Job) RETURN count(j) AS n'),
      datasets: await count('MATCH (d:Dataset) RETURN count(d) AS n'),
      reads: await count('MATCH (:Job)-[r:READ]->(:Dataset) RETURN count(r) AS n'),
      writes: await count('MATCH (:Job)-[w:WROTE]->(:Dataset) RETURN count(w) AS n'),
      links: await count('MATCH (:Dataset)-[i:IS]->(:SourceFile) RETURN count(i) AS n'),
    });
    const before = await shape();
    // dbt READ crm and WROTE raw; spark READ raw and WROTE two; the failed run READ raw and wrote nothing.
    assert.deepEqual(before, { jobs: 3, datasets: 5, reads: 3, writes: 3, links: 3 });
    const [dbt] = await runReadQuery(
      graph(),
      "MATCH (j:Job {namespace: 'platform', name: 'dbt_build_applications'}) RETURN j.lastEventType AS type, j.lastRunId AS runId",
    );
    assert.deepEqual(dbt, { type: 'COMPLETE', runId: '0d9a3f1e-5f5a-4b9f-8d33-3f4d1c2b1a01' });
    (await runTraceprop(['openlineage', 'import', file])).ok();
    assert.deepEqual(await shape(), before, 'a second import of the same events changes nothing');
  });

  it('query upstream walks from a sample past its CSV files into the jobs that wrote them, hop by hop', async () => {
    const result = (await runTraceprop(['query', 'upstream', sampleId, '--json'])).ok().json<{
      jobs: { file: string; hops: number; jobName: string; wroteName: string; reads: string[] }[];
    }>();
    const seen = result.jobs.map((j) => `${path.basename(j.file)} ${j.hops} ${j.jobName}`).sort();
    const application = path.basename(fileOf('application').path);
    const bureau = path.basename(fileOf('bureau').path);
    assert.deepEqual(seen, [
      `${application} 1 spark_export_csv`,
      `${application} 2 dbt_build_applications`,
      `${bureau} 1 spark_export_csv`,
      `${bureau} 2 dbt_build_applications`,
    ]);
    const dbt = result.jobs.find((j) => j.jobName === 'dbt_build_applications');
    assert.deepEqual(dbt?.reads, ['postgres://crm.example.com:5432 crm.public.customers']);
    const text = (await runTraceprop(['query', 'upstream', sampleId])).ok().stdout;
    assert.match(text, /platform\/spark_export_csv \(hop 1\) wrote file /);
    expectCliError(await runTraceprop(['query', 'upstream', 'no-such-sample']), 'graph.notFound');
  });

  it('a file with a bad line imports nothing and names the lines; a missing file is named', async () => {
    const jobsBefore = await count('MATCH (j:Job) RETURN count(j) AS n');
    const good = runEvent(
      'late_job',
      '1a2b3c4d-0000-4000-8000-000000000004',
      'COMPLETE',
      '2026-12-01T00:00:00Z',
      [],
      [],
    );
    const { eventTime: _drop, ...noTime } = good;
    const file = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(file, [JSON.stringify(good), '{not json', JSON.stringify(noTime)].join('\n'));
    const bad = await runTraceprop(['openlineage', 'import', file]);
    expectCliError(
      bad,
      'openlineage.badEvent',
      /2 of 3 lines are not OpenLineage events \(nothing was imported\)/,
    );
    assert.match(bad.stderr, /line 2: not JSON/);
    assert.match(bad.stderr, /line 3: eventTime/);
    assert.equal(await count('MATCH (j:Job) RETURN count(j) AS n'), jobsBefore);
    expectCliError(
      await runTraceprop(['openlineage', 'import', path.join(dir, 'absent.jsonl')]),
      'openlineage.noFile',
    );
  });

  it('events read before an ingest are linked to its files when the ingest completes', async () => {
    const later = path.join(testServices().home, 'data-72-40');
    const events = [
      runEvent(
        'nightly_extract',
        '2b3c4d5e-0000-4000-8000-000000000005',
        'COMPLETE',
        '2026-12-02T00:00:00Z',
        [],
        [{ namespace: 'file', name: path.join(later, 'application.csv') }],
      ),
    ];
    const file = path.join(dir, 'before-ingest.jsonl');
    fs.writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n'));
    const imported = (await runTraceprop(['openlineage', 'import', file, '--json']))
      .ok()
      .json<{ linkedFiles: number }>();
    assert.equal(imported.linkedFiles, 0, 'nothing ingested from there yet');
    const second = await ingestCreditRisk(graph(), testServices().home, 40, 72);
    assert.equal(second.dir, later);
    const rows = await runTraceprop(['query', 'upstream', `${second.runId}:s:0`, '--json']);
    const names = rows
      .ok()
      .json<{ jobs: { jobName: string }[] }>()
      .jobs.map((j) => j.jobName);
    assert.ok(names.includes('nightly_extract'), `upstream of the new run: ${names.join(', ')}`);
  });

  describe('POST /api/v1/lineage (the Marquez-compatible receiver)', () => {
    let server: TestServer;
    let tokens: TestTokens;
    before(async () => {
      tokens = await createTestTokens(graph());
      server = await startTestServer();
    });
    after(async () => {
      await server?.stop();
    });

    it('an operator posts an event (201, written as the import writes it); an auditor gets 403; a bad event 400', async () => {
      const event = runEvent(
        'receiver_job',
        '3c4d5e6f-0000-4000-8000-000000000006',
        'COMPLETE',
        '2026-12-03T00:00:00Z',
        [],
        [{ namespace: 'file', name: fileOf('application').path }],
      );
      const posted = await call(server.url, 'POST', '/api/v1/lineage', {
        token: tokens.operator,
        body: event,
      });
      assert.equal(posted.status, 201, posted.text);
      assert.deepEqual(posted.json, { jobs: 1, datasets: 1, reads: 0, writes: 1, linkedFiles: 1 });
      assert.equal(
        await count(
          "MATCH (:Job {name: 'receiver_job'})-[:WROTE]->(:Dataset)-[:IS]->(:SourceFile) RETURN count(*) AS n",
        ),
        1,
      );
      const denied = await call(server.url, 'POST', '/api/v1/lineage', {
        token: tokens.auditor,
        body: event,
      });
      assert.equal(denied.status, 403);
      const none = await call(server.url, 'POST', '/api/v1/lineage', { body: event });
      assert.equal(none.status, 401);
      const { job: _job, ...noJob } = event;
      const bad = await call(server.url, 'POST', '/api/v1/lineage', { token: tokens.operator, body: noJob });
      assert.equal(bad.status, 400);
      assert.equal(bad.json.error.code, 'openlineage.badEvent', bad.text);
    });
  });
});
