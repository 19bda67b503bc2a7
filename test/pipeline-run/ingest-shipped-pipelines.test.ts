import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../src/config.js';
import { cypherText } from '../../src/graph/cypher-library.js';
import { runReadQuery } from '../../src/graph/read-query.js';
import { creditRiskFiles } from '../../src/pipelines/credit-risk-files.js';
import { expectCliError, ingestCreditRiskArgs, runTraceprop } from '../support/cli.js';
import {
  byRowNumber,
  expectedBerkaProvenance,
  expectedSingleTableProvenance,
} from '../support/expected-provenance.js';
import { clearGraph, useCleanGraph } from '../support/graph.js';
import { requireDataset } from '../support/require-dataset.js';

const pipelines = path.join(packageRoot, 'pipelines');

interface IngestJson {
  runId: string;
  samples: number;
  files: number;
  pipeline: string;
  pipelineSha256: string;
  modelId?: string;
}

/** Each sample's DERIVED_FROM rows as `"<file name>:<row>"`, by sample key. */
async function derivedFromByKey(
  client: ReturnType<ReturnType<typeof useCleanGraph>>,
  runId: string,
): Promise<Map<string, string[]>> {
  const rows = await runReadQuery(
    client,
    `MATCH (s:Sample)-[:OUTPUT_OF]->(:Run {id: $runId})
     MATCH (s)-[:DERIVED_FROM]->(r:SourceRow)-[:IN_FILE]->(f:SourceFile)
     RETURN s.key AS key, collect(f.name + ':' + toString(r.row)) AS rows`,
    { runId },
  );
  return new Map(rows.map((r) => [String(r.key), [...(r.rows as string[])].sort()]));
}

function assertSameProvenance(actual: Map<string, string[]>, expected: Map<string, string[]>): void {
  assert.equal(actual.size, expected.size, 'one sample per expected key');
  for (const [key, rows] of expected) assert.deepEqual(actual.get(key), rows, `sample ${key}`);
}

describe('shipped pipeline files, ingested into Neo4j', function () {
  this.timeout(300_000);
  const client = useCleanGraph();

  it('berka-loans: each loan derives from exactly its loan, account, district, disp, client, card and order rows; the run records its pipeline; a client erasure re-derives its loans', async () => {
    const dir = requireDataset('berka_czech_financial');
    const out = await runTraceprop([
      'ingest',
      path.join(pipelines, 'berka-loans.yaml'),
      '--data',
      dir,
      '--train',
      '--json',
    ]);
    const r = out.json<IngestJson>();
    assert.equal(r.samples, 682);
    assert.equal(r.files, 7);
    assertSameProvenance(await derivedFromByKey(client(), r.runId), expectedBerkaProvenance(dir));

    const [p] = await runReadQuery(
      client(),
      `MATCH (:Run {id: $runId})-[:USES]->(p:Pipeline)
       OPTIONAL MATCH (:Run {id: $runId})-[:HAS_OP]->(o:Op) WHERE o.step IS NOT NULL
       RETURN p.sha256 AS sha256, p.name AS name, collect(DISTINCT o.step) AS steps`,
      { runId: r.runId },
    );
    assert.equal(p.sha256, r.pipelineSha256);
    assert.equal(p.name, 'berka-loans');
    assert.ok((p.steps as string[]).includes('people_per_account'), `steps: ${String(p.steps)}`);

    // Client 2 owns account 2; erasing it by key re-derives that account's loans without its rows.
    const un = await runTraceprop([
      'unlearn',
      '--key',
      'client_id=2',
      '--mode',
      'recompute',
      '--verify',
      '--local',
      '--json',
    ]);
    const o = un.json<{
      previousModelId: string;
      affectedSamples: number;
      recomputedSamples: number;
      metrics: { paramGapClosed: number };
    }>();
    assert.equal(o.previousModelId, r.modelId);
    const expected = [...expectedBerkaProvenance(dir)].filter(([, rows]) => rows.includes('client.csv:1'));
    assert.ok(expected.length > 0, 'client 2 reaches a loan');
    assert.equal(o.affectedSamples, expected.length);
    assert.equal(o.recomputedSamples, expected.length);
    assert.ok(o.metrics.paramGapClosed >= 0.995, `gap closed ${o.metrics.paramGapClosed}`);
  });

  it('german-credit: each sample derives from exactly its own row (keyed by row number)', async () => {
    const dir = requireDataset('german_credit');
    const out = await runTraceprop([
      'ingest',
      path.join(pipelines, 'german-credit.yaml'),
      '--data',
      dir,
      '--json',
    ]);
    const r = out.json<IngestJson>();
    assert.equal(r.samples, 1000);
    const expected = expectedSingleTableProvenance(path.join(dir, 'german.data'), byRowNumber, {
      delimiter: ' ',
      header: false,
    });
    assertSameProvenance(await derivedFromByKey(client(), r.runId), expected);
  });

  it('credit-risk: `ingest credit-risk` is credit-risk.yaml with the files as --source overrides (the same pipeline, samples and provenance); an unknown --source name is refused', async () => {
    const dir = requireDataset('home_credit_sample');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-cr-sources-'));
    const apps = path.join(tmp, 'apps.csv');
    fs.copyFileSync(path.join(dir, 'application.csv'), apps);
    const file = path.join(pipelines, 'credit-risk.yaml');
    const viaFile = (
      await runTraceprop(['ingest', file, '--data', dir, '--source', `application=${apps}`, '--json'])
    ).json<IngestJson & { sources: Record<string, string>; droppedLabels?: unknown }>();
    assert.deepEqual(viaFile.sources, { application: apps });
    assert.equal(viaFile.droppedLabels, undefined);
    const [read] = await runReadQuery(
      client(),
      `MATCH (:Run {id: $runId})-[:HAS_OP]->(:Op)-[:READ]->(f:SourceFile) RETURN collect(DISTINCT f.table + ':' + f.name) AS files`,
      { runId: viaFile.runId },
    );
    assert.deepEqual([...(read.files as string[])].sort(), [
      'application:apps.csv',
      'bureau:bureau.csv',
      'previous_application:previous_application.csv',
    ]);
    const viaCommand = (await runTraceprop(ingestCreditRiskArgs(creditRiskFiles(dir), '--json'))).json<
      IngestJson & { droppedLabels: { count: number } }
    >();
    assert.equal(viaCommand.pipeline, 'credit-risk');
    assert.equal(viaCommand.pipelineSha256, viaFile.pipelineSha256);
    assert.equal(viaCommand.samples, viaFile.samples);
    assert.ok(viaCommand.samples >= 900, `${viaCommand.samples} samples`);
    assert.equal(viaCommand.droppedLabels.count, 0);
    const a = await derivedFromByKey(client(), viaCommand.runId);
    const b = await derivedFromByKey(client(), viaFile.runId);
    // the same rows; only the application file's name differs
    for (const [key, rows] of a)
      assert.deepEqual(b.get(key), rows.map((r) => r.replace(/^application\.csv:/, 'apps.csv:')).sort(), key);
    // --label names the header: another pipeline (recorded), the same samples
    const labelled = (
      await runTraceprop(
        ingestCreditRiskArgs(
          { ...creditRiskFiles(dir), application: apps },
          '--label',
          'DEFAULTED',
          '--json',
        ),
      )
    ).json<IngestJson>();
    assert.notEqual(labelled.pipelineSha256, viaFile.pipelineSha256);
    assert.equal(labelled.samples, viaFile.samples);
    const [text] = await runReadQuery(
      client(),
      'MATCH (:Run {id: $runId})-[:USES]->(p:Pipeline) RETURN p.text AS text',
      { runId: labelled.runId },
    );
    assert.match(String(text.text), /"TARGET":\{"header":\["DEFAULTED"\],"type":"number"\}/);

    const [before] = await runReadQuery(client(), 'MATCH (r:Run) RETURN count(r) AS runs', {});
    expectCliError(
      await runTraceprop(['ingest', file, '--data', dir, '--source', `previous=${apps}`]),
      'ingest.unknownSource',
      /--source previous=…: pipeline "credit-risk" has no source "previous"; expected one of application, bureau, previous_application/,
      2,
    );
    expectCliError(
      await runTraceprop(['ingest', file, '--data', dir, '--source', 'application']),
      'cli.badOption',
      /--source: expected NAME=PATH/,
      2,
    );
    const [after] = await runReadQuery(client(), 'MATCH (r:Run) RETURN count(r) AS runs', {});
    assert.equal(after.runs, before.runs, 'no Run was written');
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('taiwan-credit: each sample derives from exactly its own row (keyed by ID); run-graph-size counts the whole graph of the run', async () => {
    const csv = requireDataset('taiwan_credit_default/UCI_Credit_Card.csv');
    await clearGraph(client());
    const out = await runTraceprop([
      'ingest',
      path.join(pipelines, 'taiwan-credit.yaml'),
      '--data',
      path.dirname(csv),
      '--json',
    ]);
    const r = out.json<IngestJson>();
    assert.equal(r.samples, 30_000);
    assert.equal(r.files, 1);
    assertSameProvenance(await derivedFromByKey(client(), r.runId), expectedSingleTableProvenance(csv, 'ID'));

    // The run is all the graph holds: the auditors' size query must count every node and edge.
    const [size] = await runReadQuery(client(), cypherText('queries', 'run-graph-size'), { runId: r.runId });
    const [all] = await runReadQuery(
      client(),
      'MATCH (n) RETURN count(n) AS nodes, COUNT { ()-[]->() } AS relationships',
      {},
    );
    assert.deepEqual([size.nodes, size.relationships], [all.nodes, all.relationships]);
    assert.deepEqual(
      [size.samples, size.files, size.sourceRows, size.derivedFrom],
      [30_000, 1, 30_000, 30_000],
    );
  });

  it('a source whose declared key repeats (a duplicated district) is refused before anything is written', async () => {
    const src = requireDataset('berka_czech_financial');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-berka-dup-'));
    for (const f of fs.readdirSync(src))
      if (f.endsWith('.csv')) fs.copyFileSync(path.join(src, f), path.join(dir, f));
    // A second row for district 1: its declared key A1 repeats.
    const district = fs.readFileSync(path.join(dir, 'district.csv'), 'utf8').split('\n');
    fs.writeFileSync(
      path.join(dir, 'district.csv'),
      [...district.slice(0, 2), district[1], ...district.slice(2)].join('\n'),
    );
    const [before] = await runReadQuery(client(), 'MATCH (r:Run) RETURN count(r) AS runs', {});
    const bad = await runTraceprop([
      'ingest',
      path.join(pipelines, 'berka-loans.yaml'),
      '--data',
      dir,
      '--json',
    ]);
    expectCliError(bad, 'ingest.duplicateKey');
    const [after] = await runReadQuery(client(), 'MATCH (r:Run) RETURN count(r) AS runs', {});
    assert.equal(after.runs, before.runs, 'no Run was written');
  });
});
