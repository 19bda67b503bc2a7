import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { GraphClient } from '../../src/graph/connection.js';
import { generateCreditRisk } from '../../src/pipelines/credit-risk-generator.js';
import { ingestCreditRiskArgs, runTraceprop } from '../support/cli.js';
import { useCleanGraph, withTestSession } from '../support/graph.js';
import { graphCounts } from '../support/graph-facts.js';
import { requireDataset } from '../support/require-dataset.js';

/** Per SK_ID_CURR, the data rows of each table that mention it, read straight from the CSVs. */
function rowsByApplicant(files: { application: string; bureau: string; previous: string }, label: string) {
  const read = (file: string) =>
    parse(fs.readFileSync(file), { columns: true, bom: true, skip_empty_lines: true }) as Record<
      string,
      string
    >[];
  const expected = new Map<string, Record<string, number[]>>();
  const app = read(files.application);
  for (const [row, r] of app.entries()) {
    if (r.SK_ID_CURR === '' || (r[label] !== '0' && r[label] !== '1')) continue;
    expected.set(String(Number(r.SK_ID_CURR)), { application: [row], bureau: [], previous_application: [] });
  }
  for (const [table, file] of [
    ['bureau', files.bureau],
    ['previous_application', files.previous],
  ] as const) {
    for (const [row, r] of read(file).entries())
      expected.get(String(Number(r.SK_ID_CURR)))?.[table].push(row);
  }
  return expected;
}

/** Per Sample key of a run, the rows of each table it is DERIVED_FROM in Neo4j. */
async function rowsInGraph(
  client: GraphClient,
  runId: string,
): Promise<Map<string, Record<string, number[]>>> {
  return withTestSession(client, async (session) => {
    const result = await session.run(
      `MATCH (:Run {id: $runId})<-[:OUTPUT_OF]-(s:Sample)
       OPTIONAL MATCH (s)-[:DERIVED_FROM]->(r:SourceRow)-[:IN_FILE]->(f:SourceFile)
       WITH s, f, r ORDER BY r.row
       RETURN s.key AS key, f.table AS table, collect(r.row) AS rows`,
      { runId },
    );
    const out = new Map<string, Record<string, number[]>>();
    for (const rec of result.records) {
      const entry = out.get(rec.get('key')) ?? { application: [], bureau: [], previous_application: [] };
      if (rec.get('table')) entry[rec.get('table')] = rec.get('rows');
      out.set(rec.get('key'), entry);
    }
    return out;
  });
}

async function unfinishedRuns(client: GraphClient): Promise<number> {
  return withTestSession(client, async (s) => {
    const r = await s.run("MATCH (r:Run) WHERE NOT r.status IN ['complete', 'failed'] RETURN count(r) AS c");
    return r.records[0].get('c') as number;
  });
}

describe('graph: CLI ingest, query and cypher', function () {
  this.timeout(180_000);
  const graph = useCleanGraph();
  let dir: string;
  let files: { application: string; bureau: string; previous: string };
  let runId: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-graph-cli-'));
    const ds = await generateCreditRisk({ applicants: 500, seed: 11, outDir: path.join(dir, 'gen') });
    const byTable = Object.fromEntries(ds.files.map((f) => [f.table, f.path]));
    files = {
      application: byTable.application,
      bureau: byTable.bureau,
      previous: byTable.previous_application,
    };
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const ingestArgs = (f = files, extra: string[] = []) => ingestCreditRiskArgs(f, ...extra);

  it('ingests generated credit-risk data: the rows linked to each sample equal those found in the CSVs by SK_ID_CURR', async () => {
    const run = await runTraceprop(ingestArgs(files, ['--json']));
    assert.equal(run.code, 0, run.stderr);
    const doc = run.json<Record<string, number | string>>();
    runId = String(doc.runId);
    const expected = rowsByApplicant(files, 'TARGET');
    assert.equal(doc.samples, expected.size);
    assert.equal(doc.mode, 'row');
    assert.equal(doc.files, 3);
    assert.ok(Number(doc.ops) >= 8);
    assert.ok(Number(doc.seconds) > 0);
    const totalRows = ['application', 'bureau', 'previous'].reduce(
      (n, t) => n + parse(fs.readFileSync(files[t as keyof typeof files]), { columns: true }).length,
      0,
    );
    assert.equal(doc.sourceRows, totalRows);
    const inGraph = await rowsInGraph(graph(), runId);
    assert.equal(inGraph.size, expected.size);
    for (const [key, rows] of expected)
      assert.deepEqual(inGraph.get(key), rows, `sample with SK_ID_CURR ${key}`);
    const counts = await graphCounts(graph());
    assert.equal(counts.SourceRow, totalRows);
    assert.equal(counts.Run, 1);
  });

  it('re-ingesting the same files (op mode too) adds Runs but no SourceFile or SourceRow', async () => {
    const before = await graphCounts(graph());
    const again = await runTraceprop(ingestArgs(files, ['--mode', 'op', '--json']));
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.json().sourceRowsWritten, 0);
    assert.equal(again.json().provenanceEdges, 0);
    const after = await graphCounts(graph());
    assert.equal(after.SourceFile, before.SourceFile);
    assert.equal(after.SourceRow, before.SourceRow);
    assert.equal(after.Run, before.Run + 1);
  });

  it('prints a readable summary and status lines (no TTY) without --json', async () => {
    const run = await runTraceprop(ingestArgs(files, ['--mode', 'op']));
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^run \S+ \(credit-risk, op mode\): complete/m);
    assert.match(run.stdout, /samples\s+\d+/);
    assert.match(run.stderr, /write lineage: \d+\/\d+ \(100%\)/);
  });

  it('ingests the real Home Credit sample (--label DEFAULTED) with exact row provenance', async () => {
    const home = path.dirname(requireDataset('home_credit_sample/application.csv'));
    const real = {
      application: path.join(home, 'application.csv'),
      bureau: path.join(home, 'bureau.csv'),
      previous: path.join(home, 'previous_application.csv'),
    };
    const run = await runTraceprop(ingestArgs(real, ['--label', 'DEFAULTED', '--json']));
    assert.equal(run.code, 0, run.stderr);
    const doc = run.json();
    const expected = rowsByApplicant(real, 'DEFAULTED');
    assert.equal(doc.samples, expected.size);
    const inGraph = await rowsInGraph(graph(), String(doc.runId));
    for (const [key, rows] of expected)
      assert.deepEqual(inGraph.get(key), rows, `Home Credit SK_ID_CURR ${key}`);
  });

  describe('bad input: a clear error naming file, row and column, a non-zero exit, no half-written Run', () => {
    const write = (name: string, text: string) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      return file;
    };
    const cases: Array<[string, () => { args: string[] }, RegExp, number]> = [
      [
        'a missing file',
        () => ({ args: ingestArgs({ ...files, bureau: path.join(dir, 'no-such.csv') }) }),
        /ingest\.missingFile.*no-such\.csv/s,
        1,
      ],
      [
        'a missing column',
        () => ({
          args: ingestArgs({ ...files, bureau: write('no-key.csv', 'SK_ID_CURR,DAYS_CREDIT\n100001,-5\n') }),
        }),
        /ingest\.missingColumn.*no-key\.csv.*SK_ID_BUREAU/s,
        1,
      ],
      [
        'a ragged row',
        () => {
          const text = fs.readFileSync(files.previous, 'utf8').split('\n');
          text[3] = `${text[3]},extra,fields`;
          return { args: ingestArgs({ ...files, previous: write('ragged.csv', text.join('\n')) }) };
        },
        /ingest\.badCsv.*ragged\.csv.*row 2/s,
        1,
      ],
      [
        'a bad number',
        () => {
          const text = fs.readFileSync(files.application, 'utf8').split('\n');
          const header = text[0].split(',');
          const col = header.indexOf('AMT_CREDIT');
          const cells = text[5].split(',');
          cells[col] = 'lots';
          text[5] = cells.join(',');
          return { args: ingestArgs({ ...files, application: write('bad-number.csv', text.join('\n')) }) };
        },
        /ingest\.badNumber.*bad-number\.csv.*row 4.*AMT_CREDIT/s,
        1,
      ],
      [
        'an empty file',
        () => ({ args: ingestArgs({ ...files, previous: write('empty.csv', '') }) }),
        /ingest\.emptyFile.*empty\.csv/s,
        1,
      ],
      [
        'a label column that is not there',
        () => ({ args: ingestArgs(files, ['--label', 'NOPE']) }),
        /ingest\.missingColumn.*NOPE/s,
        1,
      ],
      [
        'a hostile label column name',
        () => ({ args: ingestArgs(files, ['--label', 'x}) MATCH (n) DETACH DELETE n //']) }),
        // A bad option value is a usage error, found before any work (issue 8 item 12).
        /graph\.badName.*--label must be a column or table name/s,
        2,
      ],
      ['a bad --mode', () => ({ args: ingestArgs(files, ['--mode', 'cell']) }), /mode/, 2],
      [
        'an unreachable Neo4j',
        () => ({ args: ingestArgs(files), env: { NEO4J_URI: 'bolt://127.0.0.1:1' } }),
        /graph\.unavailable/,
        3,
      ],
    ];
    for (const [what, make, message, exit] of cases) {
      it(what, async () => {
        const before = await graphCounts(graph());
        const { args, env } = make() as { args: string[]; env?: Record<string, string> };
        const run = await runTraceprop(args, { env });
        assert.equal(run.code, exit, `exit code; stderr: ${run.stderr}`);
        assert.match(run.stderr, message);
        assert.equal(run.stdout, '');
        assert.deepEqual(await graphCounts(graph()), before);
        assert.equal(await unfinishedRuns(graph()), 0);
      });
    }
  });

  describe('query and cypher commands', () => {
    let sampleId: string;
    let rowId: string;
    before(async () => {
      await withTestSession(graph(), async (s) => {
        const r = await s.run(
          'MATCH (:Run {id: $runId})<-[:OUTPUT_OF]-(s:Sample)-[:DERIVED_FROM]->(r:SourceRow)-[:IN_FILE]->(:SourceFile {table: "bureau"}) RETURN s.id AS s, r.id AS r LIMIT 1',
          { runId },
        );
        sampleId = r.records[0].get('s');
        rowId = r.records[0].get('r');
      });
    });

    it('query sources / ops / ancestors / descendants', async () => {
      const src = await runTraceprop(['query', 'sources', sampleId, '--json']);
      assert.equal(src.code, 0, src.stderr);
      assert.ok(src.json<{ rows: Array<{ rowId: string }> }>().rows.some((r) => r.rowId === rowId));
      const text = await runTraceprop(['query', 'sources', sampleId]);
      assert.match(text.stdout, /bureau\.csv row \d+ key \d+/);

      const ops = await runTraceprop(['query', 'ops', runId, '--json']);
      assert.equal(ops.code, 0, ops.stderr);
      const opList = ops.json<{ ops: Array<{ id: string; kind: string }> }>().ops;
      assert.ok(opList.some((o) => o.kind === 'load'));
      const lastOp = opList.at(-1)?.id as string;
      const anc = await runTraceprop(['query', 'ancestors', lastOp, '--depth', '2', '--json']);
      assert.equal(anc.code, 0, anc.stderr);
      const depths = anc.json<{ ancestors: Array<{ depth: number }> }>().ancestors.map((a) => a.depth);
      assert.ok(depths.length > 0 && depths.every((d) => d <= 2));

      const desc = await runTraceprop(['query', 'descendants', rowId, '--json']);
      assert.equal(desc.code, 0, desc.stderr);
      const runs = desc.json<{ runs: Array<{ id: string; samples: Array<{ id: string }> }> }>().runs;
      assert.deepEqual(
        runs.find((r) => r.id === runId)?.samples.map((s) => s.id),
        [sampleId],
      );
    });

    it('unknown ids fail with graph.notFound and say which id', async () => {
      for (const args of [
        ['query', 'sources', 'nope:s:1'],
        ['query', 'ops', 'nope'],
        ['query', 'ancestors', 'nope:op:1'],
        ['query', 'descendants', 'nope:1'],
      ]) {
        const run = await runTraceprop(args);
        assert.equal(run.code, 1);
        assert.match(run.stderr, /graph\.notFound.*nope/);
      }
    });

    it('cypher runs auditor files by name or path with typed parameters', async () => {
      const byName = await runTraceprop([
        'cypher',
        'sources-of-sample',
        '--param',
        `sampleId=${sampleId}`,
        '--json',
      ]);
      assert.equal(byName.code, 0, byName.stderr);
      assert.ok(
        byName.json<{ rows: Array<{ rowIds: string[] }> }>().rows.some((r) => r.rowIds.includes(rowId)),
      );
      const file = path.join(dir, 'mine.cypher');
      fs.writeFileSync(
        file,
        '// mine\nMATCH (o:Op) WHERE o.seq < $limit RETURN count(o) AS n, $flag AS flag, $list AS list, $s AS s\n',
      );
      const typed = await runTraceprop([
        'cypher',
        file,
        '--param',
        'limit:int=2',
        '--param',
        'flag:bool=true',
        '--param',
        'list:json=[1,"a"]',
        '--param',
        's=007',
        '--json',
      ]);
      assert.equal(typed.code, 0, typed.stderr);
      const row = typed.json<{ rows: Array<Record<string, unknown>> }>().rows[0];
      assert.deepEqual([row.flag, row.list, row.s], [true, [1, 'a'], '007']);
      assert.ok(Number(row.n) >= 2);
      const list = await runTraceprop(['cypher', '--list']);
      assert.match(list.stdout, /sources-of-sample\n {2}Auditor:/);
    });

    it('cypher refuses writes, bad parameters and unknown files with exit code 2, before running anything', async () => {
      const before = await graphCounts(graph());
      const file = path.join(dir, 'write.cypher');
      fs.writeFileSync(file, '// a write\nMATCH (n) DETACH DELETE n\n');
      const write = await runTraceprop(['cypher', file]);
      assert.equal(write.code, 2);
      assert.match(write.stderr, /cypher\.writeRefused/);
      const badName = await runTraceprop(['cypher', 'sources-of-sample', '--param', 'sample-id=1']);
      assert.equal(badName.code, 2);
      assert.match(badName.stderr, /cypher\.badParam.*parameter name/);
      const badInt = await runTraceprop([
        'cypher',
        'ancestors',
        '--param',
        'opId=x',
        '--param',
        'depth:int=ten',
      ]);
      assert.equal(badInt.code, 2);
      assert.match(badInt.stderr, /cypher\.badParam.*depth.*whole number/);
      const missing = await runTraceprop(['cypher', 'ancestors', '--param', 'opId=x']);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /cypher\.missingParameter.*depth/);
      const unknown = await runTraceprop(['cypher', 'no-such-query']);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /cypher\.unknownFile.*sources-of-sample/);
      const invalid = path.join(dir, 'invalid.cypher');
      fs.writeFileSync(invalid, '// not Cypher\nMATCH (n:Sample RETURN n\n');
      const syntax = await runTraceprop(['cypher', invalid]);
      assert.equal(syntax.code, 2);
      assert.match(syntax.stderr, /cypher\.syntax.*line 2/);
      const badSyntax = await runTraceprop(['cypher', 'sources-of-sample', '--param', 'sampleId']);
      assert.equal(badSyntax.code, 2);
      assert.match(badSyntax.stderr, /cypher\.badParam.*name=value/);
      assert.deepEqual(await graphCounts(graph()), before);
    });

    it('injection attempts through --param values are data, not Cypher', async () => {
      const before = await graphCounts(graph());
      for (const evil of [
        "x'}) MATCH (n) DETACH DELETE n //",
        '" OR 1=1 //',
        '`}) DETACH DELETE s //',
        '$sampleId',
      ]) {
        const run = await runTraceprop([
          'cypher',
          'sources-of-sample',
          '--param',
          `sampleId=${evil}`,
          '--json',
        ]);
        assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(run.json().rows, []);
        const q = await runTraceprop(['query', 'sources', evil]);
        assert.equal(q.code, 1);
        assert.match(q.stderr, /graph\.notFound/);
      }
      assert.deepEqual(await graphCounts(graph()), before);
    });
  });
});
