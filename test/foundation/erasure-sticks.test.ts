import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ErasureReport } from '../../src/graph/queries/erasures.js';
import { creditRiskFiles } from '../../src/pipelines/credit-risk-files.js';
import { generateCreditRisk } from '../../src/pipelines/credit-risk-generator.js';
import { ingestCreditRiskArgs, runTraceprop } from '../support/cli.js';
import { useCleanGraph, withTestSession } from '../support/graph.js';
import { testServices } from '../support/services.js';

interface IngestJson {
  runId: string;
  modelId: string;
  samples: number;
  erasedRowsLeftOut: { rows: number; byTable: Record<string, number>; byKey: number; requestIds: string[] };
}

describe('the demo flow on a graph with an erasure does not bring the erased rows back', function () {
  this.timeout(300_000);
  const graph = useCleanGraph();

  it('generate (seed 7) → ingest → erase bureau rows (recompute) → generate and ingest again: the rows stay out', async () => {
    // What `traceprop demo` runs: generate (seed 7) into its data folder, ingest, train.
    const data = path.join(testServices().home, 'demo-data-again');
    const generate = () => generateCreditRisk({ applicants: 300, seed: 7, outDir: data });
    const ingestArgs = ingestCreditRiskArgs(creditRiskFiles(data), '--train', '--json');
    await generate();
    const first = (await runTraceprop(ingestArgs)).json<IngestJson>();
    assert.equal(first.erasedRowsLeftOut.rows, 0);
    const bureauId = createHash('sha256')
      .update(fs.readFileSync(path.join(data, 'bureau.csv')))
      .digest('hex');

    const unlearned = await runTraceprop([
      'unlearn',
      '--model',
      first.modelId,
      '--file',
      bureauId,
      '--rows',
      '0-4',
      '--mode',
      'recompute',
      '--local',
      '--json',
    ]);
    const requestId = unlearned.json<{ requestId: string }>().requestId;

    // The demo regenerates its seeded data (the same bytes) and ingests it again, through the CLI.
    await generate();
    const run = await runTraceprop(ingestArgs);
    assert.equal(run.code, 0, run.stderr);
    const second = run.json<IngestJson>();
    assert.deepEqual(second.erasedRowsLeftOut, {
      rows: 5,
      byTable: { bureau: 5 },
      byKey: 0,
      requestIds: [requestId],
    });
    assert.match(run.stderr, new RegExp(`left out 5 erased rows \\(bureau: 5\\) — erased by ${requestId}`));
    const [edges] = await withTestSession(graph(), async (s) =>
      (
        await s.run(
          `MATCH (:Run {id: $runId})<-[:OUTPUT_OF]-(:Sample)-[:DERIVED_FROM]->(r:SourceRow)-[:IN_FILE]->(:SourceFile {id: $fileId})
           WHERE r.row < 5 RETURN count(r) AS n`,
          { runId: second.runId, fileId: bureauId },
        )
      ).records.map((r) => r.toObject()),
    );
    assert.equal(edges.n, 0);

    // The auditor's view: the request and its rows; no active model holds them (the first line
    // was unlearned, the second line never had them).
    const erasures = (await runTraceprop(['query', 'erasures', '--json'])).json<ErasureReport>();
    assert.deepEqual(
      erasures.requests.map((r) => [r.requestId, r.rows.length]),
      [[requestId, 5]],
    );
    assert.deepEqual(erasures.holdingModelIds, []);
    const text = (await runTraceprop(['query', 'erasures'])).ok();
    assert.match(text.stdout, /1 erasure request; no active model holds erased rows/);
    assert.match(
      text.stdout,
      new RegExp(`${requestId} \\(recompute, .*\\): 5 rows — bureau\\.csv \\(.*\\) rows 0, 1, 2, 3, 4`),
    );
  });
});
