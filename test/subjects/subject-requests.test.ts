import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { packageRoot } from '../../src/config.js';
import { runReadQuery } from '../../src/graph/read-query.js';
import type { UnlearningOutcome } from '../../src/jobs/unlearning/unlearning-outcome.js';
import type { SubjectReport } from '../../src/subjects/subject-report.js';
import { expectCliError, runTraceprop, startTraceprop } from '../support/cli.js';
import { expectedBerkaProvenance } from '../support/expected-provenance.js';
import { useCleanGraph } from '../support/graph.js';
import { newRedisConnection, obliterateQueueKeys, uniqueQueueName } from '../support/queue.js';
import { requireDataset } from '../support/require-dataset.js';

const pipelines = path.join(packageRoot, 'pipelines');

/** A CSV file read independently of Traceprop: column name → values per data row. */
function readCsv(file: string, delimiter = ','): { name: string; col: (c: string) => string[] } {
  const records = parse(fs.readFileSync(file), {
    delimiter,
    bom: true,
    skip_empty_lines: true,
  }) as string[][];
  const header = records.shift() ?? [];
  return {
    name: path.basename(file),
    col: (c) => {
      const i = header.indexOf(c);
      if (i < 0) throw new Error(`${file} has no column ${c}`);
      return records.map((r) => r[i]);
    },
  };
}

/** Data rows (`"<file>:<row>"`) whose column equals one of `values`. */
function rowsWhere(t: ReturnType<typeof readCsv>, column: string, values: ReadonlySet<string>): string[] {
  return t.col(column).flatMap((v, row) => (values.has(v) ? [`${t.name}:${row}`] : []));
}

/** A report's rows as sorted `"<file>:<row>"`. */
const rowsOf = (r: SubjectReport) => r.rows.map((row) => `${row.file}:${row.row}`).sort();

/** Node and relationship properties equal to `value` (or lists holding it), as `label.property`. */
async function propertiesEqualTo(client: ReturnType<ReturnType<typeof useCleanGraph>>, value: string) {
  const rows = await runReadQuery(
    client,
    `CALL () {
       MATCH (n) RETURN labels(n)[0] AS what, properties(n) AS props
       UNION ALL
       MATCH ()-[r]->() RETURN type(r) AS what, properties(r) AS props
     }
     UNWIND keys(props) AS k
     WITH what, k, props[k] AS v
     WHERE v = $value OR (valueType(v) STARTS WITH 'LIST' AND $value IN v)
     RETURN DISTINCT what + '.' + k AS at ORDER BY at`,
    { value },
  );
  return rows.map((r) => r.at as string);
}

describe('data subjects: `query subject` and `unlearn --subject`', function () {
  this.timeout(600_000);
  const client = useCleanGraph();

  it('berka: a client with a card is exactly its client, disp and card rows; one request erases them, recomputes its loans, and leaves no trace of its id', async () => {
    const dir = requireDataset('berka_czech_financial');
    const read = (name: string) => readCsv(path.join(dir, name), ';');
    const [client_, disp, card, loan] = ['client.csv', 'disp.csv', 'card.csv', 'loan.csv'].map(read);
    const keys = new Set(
      [
        read('loan.csv').col('loan_id'),
        read('account.csv').col('account_id'),
        read('district.csv').col('A1'),
        disp.col('disp_id'),
        card.col('card_id'),
        read('order.csv').col('order_id'),
      ].flat(),
    );
    // A client with a card who owns an account with a loan (the loan then loses its owner: the
    // hard case of a recompute), and whose id is no other table's key (so that "no property
    // equals the id" speaks of this client only).
    const dispIds = disp.col('disp_id');
    const dispClient = disp.col('client_id');
    const dispAccount = disp.col('account_id');
    const dispType = disp.col('type');
    const carded = new Set(card.col('disp_id'));
    const loanAccounts = new Set(loan.col('account_id'));
    const chosen = client_.col('client_id').find((id) => {
      if (keys.has(id)) return false;
      const d = dispClient.flatMap((c, i) => (c === id ? [i] : []));
      return (
        d.some((i) => carded.has(dispIds[i])) &&
        d.some((i) => loanAccounts.has(dispAccount[i]) && dispType[i] === 'OWNER')
      );
    });
    assert.ok(chosen, 'a client with a card and a loan');
    const id = chosen as string;
    const own = dispClient.flatMap((c, i) => (c === id ? [dispIds[i]] : []));
    const expected = [
      ...rowsWhere(client_, 'client_id', new Set([id])),
      ...rowsWhere(disp, 'client_id', new Set([id])),
      ...rowsWhere(card, 'disp_id', new Set(own)),
    ].sort();
    assert.ok(
      expected.some((r) => r.startsWith('card.csv:')),
      `client ${id} has a card`,
    );
    const provenance = expectedBerkaProvenance(dir);
    const loansOf = (row: string) =>
      [...provenance]
        .filter(([, rows]) => rows.includes(row))
        .map(([k]) => k)
        .sort();
    const affected = new Set(expected.flatMap(loansOf));
    assert.ok(affected.size > 0, 'the client reaches a loan');

    const ingest = (
      await runTraceprop([
        'ingest',
        path.join(pipelines, 'berka-loans.yaml'),
        '--data',
        dir,
        '--train',
        '--json',
      ])
    )
      .ok()
      .json<{ runId: string; modelId: string }>();

    // Subject access: every row of the client, with the loans each reaches and the model.
    const report = (await runTraceprop(['query', 'subject', id, '--json'])).ok().json<SubjectReport>();
    assert.deepEqual(rowsOf(report), expected);
    for (const row of report.rows) {
      assert.equal(row.subjectName, 'client');
      assert.equal(row.erased, false);
      assert.equal(row.table, row.file.replace('.csv', ''));
      const [run] = row.runs;
      assert.equal(row.runs.length, 1);
      assert.equal(run.id, ingest.runId);
      assert.deepEqual(run.samples.map((s) => s.key).sort(), loansOf(`${row.file}:${row.row}`), row.id);
      assert.deepEqual(
        run.models.map((m) => m.id),
        [ingest.modelId],
      );
    }
    assert.equal(report.rows.find((r) => r.file === 'client.csv')?.key, id);
    const scoped = (await runTraceprop(['query', 'subject', id, '--run', ingest.runId, '--json']))
      .ok()
      .json<SubjectReport>();
    assert.deepEqual(rowsOf(scoped), expected);
    assert.deepEqual(scoped.run, { id: ingest.runId, pipeline: 'berka-loans', subjectName: 'client' });
    const text = (await runTraceprop(['query', 'subject', id])).ok().stdout;
    assert.match(text, new RegExp(`^data subject ${id} \\(client\\): ${expected.length} source rows`));
    assert.ok((await propertiesEqualTo(client(), id)).includes('SourceRow.subject'));

    // One request erases every row of the client.
    const o = (
      await runTraceprop(['unlearn', '--subject', id, '--mode', 'recompute', '--verify', '--local', '--json'])
    )
      .ok()
      .json<UnlearningOutcome>();
    assert.equal(o.previousModelId, ingest.modelId);
    assert.equal(o.sourceRows, expected.length);
    assert.equal(o.affectedSamples, affected.size);
    assert.equal(o.recomputedSamples, affected.size);
    assert.ok((o.metrics?.paramGapClosed ?? 0) >= 0.995, `gap closed ${o.metrics?.paramGapClosed}`);
    const erased = await runReadQuery(
      client(),
      `MATCH (:UnlearningRequest {id: $id})-[:TARGETS]->(r:SourceRow)-[:IN_FILE]->(f:SourceFile)
       OPTIONAL MATCH (t:Tombstone {id: r.id})
       RETURN f.name + ':' + toString(r.row) AS row, r.erased AS erased, t.subjectName AS name,
              t.subjectHash AS hash ORDER BY row`,
      { id: o.requestId },
    );
    assert.deepEqual(
      erased.map((r) => r.row),
      expected,
    );
    for (const r of erased) {
      assert.equal(r.erased, true);
      assert.equal(r.name, 'client');
      assert.match(r.hash as string, /^[0-9a-f]{64}$/);
    }
    // The plain id is gone from the graph (the request records the subject's hash, not the id).
    assert.deepEqual(await propertiesEqualTo(client(), id), []);
    const [request] = await runReadQuery(
      client(),
      'MATCH (u:UnlearningRequest {id: $id}) RETURN u.target AS t',
      {
        id: o.requestId,
      },
    );
    const target = JSON.parse(request.t as string);
    assert.equal(target.subjectName, 'client');
    assert.equal(target.subjectHash, erased[0].hash);
    assert.ok(!(request.t as string).includes(`"${id}"`), request.t as string);

    // Asked again, the subject resolves to the tombstoned rows, and a repeated request changes nothing.
    const after = (await runTraceprop(['query', 'subject', id, '--json'])).ok().json<SubjectReport>();
    assert.deepEqual(rowsOf(after), expected);
    assert.ok(after.rows.every((r) => r.erased && r.erasedBy === o.requestId && r.key === null));
    const again = (
      await runTraceprop(['unlearn', '--subject', id, '--mode', 'recompute', '--local', '--json'])
    )
      .ok()
      .json<UnlearningOutcome>();
    assert.equal(again.repeatOf, o.requestId);
    assert.equal(again.alreadyErased?.rows, expected.length);
    assert.deepEqual(await propertiesEqualTo(client(), id), []);
  });
});

describe('data subjects: credit risk, op mode, rows written without a subject, bad requests', function () {
  this.timeout(600_000);
  const client = useCleanGraph();

  it('credit risk: an applicant is its application, bureau and previous-application rows, in op mode and on rows first written without a subject; bad requests are refused', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-subject-cr-'));
    try {
      (
        await runTraceprop(['generate', 'credit-risk', '--applicants', '300', '--seed', '5', '--out', dir])
      ).ok();
      const application = readCsv(path.join(dir, 'application.csv'));
      const bureau = readCsv(path.join(dir, 'bureau.csv'));
      const previous = readCsv(path.join(dir, 'previous_application.csv'));
      const withBoth = new Set(
        bureau.col('SK_ID_CURR').filter((k) => previous.col('SK_ID_CURR').includes(k)),
      );
      const id = application.col('SK_ID_CURR').find((k) => withBoth.has(k));
      assert.ok(id, 'an applicant with bureau and previous rows');
      const one = new Set([id]);
      const expected = [
        ...rowsWhere(application, 'SK_ID_CURR', one),
        ...rowsWhere(bureau, 'SK_ID_CURR', one),
        ...rowsWhere(previous, 'SK_ID_CURR', one),
      ].sort();
      assert.ok(expected.length >= 3);

      // The same files first read by a pipeline without a subject: their rows get none.
      const text = fs.readFileSync(path.join(pipelines, 'credit-risk.yaml'), 'utf8');
      const at = text.indexOf('\nsubject:');
      assert.ok(at > 0, 'credit-risk.yaml declares a subject');
      const plainFile = path.join(dir, 'plain.yaml');
      fs.writeFileSync(plainFile, text.slice(0, at + 1));
      const plain = (await runTraceprop(['ingest', plainFile, '--data', dir, '--train', '--json']))
        .ok()
        .json<{ runId: string; modelId: string }>();
      expectCliError(
        await runTraceprop(['query', 'subject', id]),
        'graph.unknownSubject',
        /no ingested pipeline declares a data subject/,
        1,
      );

      // Then by the shipped file: in op mode (rows written before get their subject), then in row mode.
      const yaml = path.join(pipelines, 'credit-risk.yaml');
      const op = (await runTraceprop(['ingest', yaml, '--data', dir, '--mode', 'op', '--json']))
        .ok()
        .json<{ runId: string }>();
      const row = (await runTraceprop(['ingest', yaml, '--data', dir, '--train', '--json']))
        .ok()
        .json<{ runId: string; modelId: string }>();
      const report = (await runTraceprop(['query', 'subject', id, '--json'])).ok().json<SubjectReport>();
      assert.deepEqual(rowsOf(report), expected);
      const app = report.rows.find((r) => r.file === 'application.csv');
      assert.equal(app?.key, id);
      assert.deepEqual(new Set(report.rows.map((r) => r.subjectName)), new Set(['applicant']));
      for (const r of report.rows) {
        const runs = new Map(r.runs.map((x) => [x.id, x]));
        assert.equal(runs.get(op.runId)?.via, 'file', `${r.file}: the op-mode run read the file`);
        assert.deepEqual(
          runs.get(row.runId)?.models.map((m) => m.id),
          [row.modelId],
          r.file,
        );
        assert.equal(runs.get(plain.runId)?.via, 'row', r.file);
      }
      const scoped = (await runTraceprop(['query', 'subject', id, '--run', row.runId, '--json']))
        .ok()
        .json<SubjectReport>();
      assert.deepEqual(rowsOf(scoped), expected);
      assert.ok(scoped.rows.every((r) => r.runs.length === 1 && r.runs[0].id === row.runId));

      // Bad requests.
      expectCliError(
        await runTraceprop(['query', 'subject', id, '--run', plain.runId]),
        'graph.noSubject',
        new RegExp(`run ${plain.runId}'s pipeline credit-risk declares no data subject`),
        2,
      );
      expectCliError(
        await runTraceprop(['unlearn', '--subject', id, '--model', plain.modelId, '--local']),
        'graph.noSubject',
        /declares no data subject/,
        2,
      );
      expectCliError(
        await runTraceprop(['query', 'subject', '999999999', '--json']),
        'graph.unknownSubject',
        /no source row, live or erased, belongs to data subject "999999999" \(subjects in the graph: applicant\)/,
        1,
      );
      expectCliError(
        await runTraceprop(['query', 'subject', '999999999', '--run', row.runId]),
        'graph.unknownSubject',
        /no source row read by run .* \(credit-risk\) belongs to applicant "999999999"/,
        1,
      );
      expectCliError(
        await runTraceprop(['unlearn', '--subject', '999999999', '--local']),
        'graph.unknownSubject',
        undefined,
        1,
      );
      expectCliError(
        await runTraceprop(['unlearn', '--subject', id, '--key', 'SK_ID_CURR=1', '--local']),
        'unlearning.badTarget',
        /exactly one of them/,
        2,
      );
      const [{ requests }] = await runReadQuery(
        client(),
        'RETURN COUNT { (:UnlearningRequest) } AS requests',
      );
      assert.equal(requests, 0, 'no refused request was recorded');

      // Through the queue: a worker process erases the applicant (drop mode), the CLI waits.
      const prefix = `${uniqueQueueName('subj')}-`;
      const worker = startTraceprop([
        'worker',
        '--queues',
        'unlearning',
        '--queue-prefix',
        prefix,
        '--shutdown-timeout',
        '10',
      ]);
      try {
        const queued = await runTraceprop(
          ['unlearn', '--subject', id, '--model', row.modelId, '--wait', '--json'],
          { env: { TRACEPROP_QUEUE_PREFIX: prefix } },
        );
        assert.equal(queued.code, 0, queued.stderr + worker.log());
        const outcome = queued.json<UnlearningOutcome>();
        assert.equal(outcome.previousModelId, row.modelId);
        assert.equal(outcome.sourceRows, expected.length);
        const erased = await runReadQuery(
          client(),
          `MATCH (:UnlearningRequest {id: $id})-[:TARGETS]->(r:SourceRow)-[:IN_FILE]->(f:SourceFile)
           RETURN f.name + ':' + toString(r.row) AS row ORDER BY row`,
          { id: outcome.requestId },
        );
        assert.deepEqual(
          erased.map((r) => r.row),
          expected,
        );
      } finally {
        worker.child.kill('SIGTERM');
        await worker.exited;
        const connection = newRedisConnection();
        await obliterateQueueKeys(connection, `${prefix}unlearning`);
        const ended = new Promise((resolve) => connection.once('end', resolve));
        await connection.quit();
        await ended;
      }
      const gone = (await runTraceprop(['query', 'subject', id, '--run', row.runId, '--json']))
        .ok()
        .json<SubjectReport>();
      assert.deepEqual(rowsOf(gone), expected);
      assert.ok(gone.rows.every((r) => r.erased));

      // Another subject name for the same files is refused before anything is written.
      const other = path.join(dir, 'other.yaml');
      fs.writeFileSync(other, text.replace('name: applicant', 'name: person'));
      const [before] = await runReadQuery(client(), 'RETURN COUNT { (:Run) } AS runs');
      expectCliError(
        await runTraceprop(['ingest', other, '--data', dir, '--json']),
        'graph.subjectConflict',
        /belonging to subject "applicant", this run declares "person"/,
        1,
      );
      const [after] = await runReadQuery(client(), 'RETURN COUNT { (:Run) } AS runs');
      assert.equal(after.runs, before.runs, 'no Run was written');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
