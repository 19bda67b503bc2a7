import assert from 'node:assert/strict';
import neo4j from 'neo4j-driver';
import { resolveErasureSalt } from '../../src/erasure/erasure-salt.js';
import { keyHash } from '../../src/erasure/key-hash.js';
import type { ErrorCode } from '../../src/errors.js';
import { trainRunModel } from '../../src/jobs/train/run-train-job.js';
import type { UnlearningOutcome } from '../../src/jobs/unlearning/unlearning-outcome.js';
import { freePort } from '../../src/util/net.js';
import { type IngestedRun, ingestCreditRisk, useTrainedRun } from '../models/ingested-run.js';
import { expectCliError, runTraceprop } from '../support/cli.js';
import { testServices } from '../support/services.js';

/**
 * Two generated data sets (different seeds, so two different `application.csv` and `bureau.csv`
 * files with overlapping SK_ID_CURR keys), each ingested and trained: model A on the first, model
 * B on the second.
 */
describe('unlearn: which rows a request names, and when it is refused', () => {
  const { graph, suite, query } = useTrainedRun(300, 61);
  let other: IngestedRun;
  let modelB: string;

  before(async function () {
    this.timeout(120_000);
    const { home } = testServices();
    other = await ingestCreditRisk(graph(), home, 300, 62);
    modelB = (await trainRunModel({ client: graph(), home, runId: other.runId, lambda: 1e-2 })).modelId;
  });

  /** The file of a run with this name: content id and rows. */
  const fileOf = async (runId: string, name: string) => {
    const [f] = await query(
      `MATCH (:Run {id: $runId})-[:HAS_OP]->(:Op)-[:READ]->(f:SourceFile {name: $name})
       RETURN f.id AS id, f.rows AS rows`,
      { runId, name },
    );
    return f as { id: string; rows: number };
  };
  const counts = async () =>
    (
      await query(
        `RETURN COUNT { (:UnlearningRequest) } AS requests, COUNT { (:Model) } AS models,
                COUNT { (r:SourceRow) WHERE r.erased } AS erased`,
      )
    )[0];
  const activeOf = async (runId: string) =>
    (
      await query("MATCH (m:Model {status: 'active'})-[:TRAINED_ON]->(:Run {id: $runId}) RETURN m.id AS id", {
        runId,
      })
    ).map((r) => r.id as string);
  const unlearn = async (args: string[]) =>
    (await runTraceprop(['unlearn', ...args, '--local', '--json'])).json<UnlearningOutcome>();
  const refused = async (args: string[], code: string, exitCode: number, message?: RegExp) =>
    expectCliError(await runTraceprop(['unlearn', ...args, '--local']), code, message, exitCode);
  /** Application rows of the run's training samples that are not erased yet. */
  const trainingApplicationRows = async (runId: string, label: number | null, limit: number) =>
    (
      await query(
        `MATCH (s:Sample {split: 'train'})-[:OUTPUT_OF]->(:Run {id: $runId}),
               (s)-[:DERIVED_FROM]->(r:SourceRow)-[:IN_FILE]->(:SourceFile {name: 'application.csv'})
         WHERE NOT coalesce(r.erased, false) AND ($label IS NULL OR s.label = $label)
         RETURN r.row AS row ORDER BY row LIMIT $limit`,
        { runId, label, limit: neo4j.int(limit) },
      )
    ).map((r) => r.row as number);

  /**
   * SK_ID_CURR keys of model A's applicants that a key-hashed tombstone matches: the data sets
   * share keys, so erasing one of B's applicants erases A's applicant with that key too, and a
   * recompute on A's line drops that applicant (its application record is erased).
   */
  const tombstonedApplicantKeys = async () => {
    const salt = resolveErasureSalt({ home: testServices().home });
    const hashes = new Set(
      (
        await query(
          "MATCH (t:Tombstone {table: 'application', keyColumn: 'SK_ID_CURR'}) WHERE t.keyHash IS NOT NULL RETURN t.keyHash AS h",
        )
      ).map((r) => r.h as string),
    );
    const keys = await query(
      `MATCH (:Run {id: $runId})-[:HAS_OP]->(:Op)-[:READ]->(f:SourceFile {name: 'application.csv'}),
             (r:SourceRow)-[:IN_FILE]->(f)
       WHERE r.key IS NOT NULL RETURN r.key AS key`,
      { runId: suite.run.runId },
    );
    return keys
      .map((r) => r.key as string)
      .filter((k) => hashes.has(keyHash(salt, 'application', 'SK_ID_CURR', k) ?? ''));
  };

  it('validates every option before any work: usage errors exit 2 and record nothing', async function () {
    this.timeout(60_000);
    const before = await counts();
    // Through the real CLI: the exit code. The model does not exist either: the budget is
    // refused first, before any look-up.
    const budget = await runTraceprop([
      'unlearn',
      ...[
        '--model',
        'no-such-model',
        '--file',
        'application.csv',
        '--rows',
        '3',
        '--budget',
        '-5',
        '--local',
      ],
    ]);
    assert.equal(budget.code, 2, budget.stderr);
    assert.match(budget.stderr, /unlearning\.badBudget.*--budget: expected a number ≥ 0, got -5/);
    // Not a number at all: commander's own parser, still exit 2.
    assert.equal((await runTraceprop(['unlearn', '--file', 'a', '--rows', '1', '--budget', 'lots'])).code, 2);
    const cases: [string[], ErrorCode, RegExp][] = [
      [['--file', 'application.csv', '--rows', '3', '--mode', 'dorp'], 'unlearning.badMode', /--mode/],
      [['--file', 'application.csv', '--rows', '3,x'], 'unlearning.badRows', /--rows: expected numbers/],
      [['--file', 'application.csv'], 'unlearning.badTarget', /--file and --rows go together/],
      [
        ['--file', 'application.csv', '--rows', '3', '--key', 'SK_ID_CURR=1'],
        'unlearning.badTarget',
        /exactly one of them/,
      ],
      [['--model', '', '--file', 'application.csv', '--rows', '3'], 'unlearning.badModel', /--model/],
    ];
    for (const [args, code, message] of cases) await refused(args, code, 2, message);
    assert.deepEqual(await counts(), before, 'no UnlearningRequest, no model, no erased row');
  });

  it('exits 3 at once when Redis is down, and records no request', async function () {
    this.timeout(60_000);
    const before = await counts();
    const port = await freePort();
    const started = Date.now();
    const r = await runTraceprop(
      ['unlearn', '--model', suite.modelId, '--file', 'application.csv', '--rows', '3'],
      { env: { REDIS_URL: `redis://127.0.0.1:${port}` }, timeoutMs: 30_000 },
    );
    const seconds = (Date.now() - started) / 1000;
    assert.equal(r.code, 3, r.stderr);
    // It hung forever before; a child Node process on this shared 2-core box takes a few seconds.
    assert.ok(seconds < 20, `took ${seconds} s`);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line, got:\n${r.stderr}`);
    assert.match(lines[0], /queue\.redisUnavailable/);
    assert.doesNotMatch(r.stderr, /ECONNREFUSED/);
    assert.deepEqual(await counts(), before, 'no queued UnlearningRequest is left behind');
  });

  it('a file name shared by two data sets is ambiguous without --model, and listed', async () => {
    const before = await counts();
    const a = await fileOf(suite.run.runId, 'application.csv');
    const b = await fileOf(other.runId, 'application.csv');
    assert.notEqual(a.id, b.id);
    await refused(
      ['--file', 'application.csv', '--rows', '5'],
      'unlearning.ambiguousFile',
      2,
      new RegExp(a.id),
    );
    await refused(
      ['--file', 'application.csv', '--rows', '5'],
      'unlearning.ambiguousFile',
      2,
      new RegExp(b.id),
    );
    await refused(['--file', 'application.csv', '--rows', '5'], 'unlearning.ambiguousFile', 2, /300 rows/);
    await refused(['--file', 'nope.csv', '--rows', '5'], 'unlearning.unknownFile', 1);
    await refused(
      ['--model', suite.modelId, '--file', 'nope.csv', '--rows', '5'],
      'unlearning.unknownFile',
      1,
      /read no file named "nope.csv"[\s\S]*application\.csv/,
    );
    assert.deepEqual(await counts(), before);
  });

  it('rows past the end of the file are refused before anything is written', async () => {
    const before = await counts();
    await refused(
      ['--model', suite.modelId, '--file', 'application.csv', '--rows', '0-40000'],
      'unlearning.rowsOutOfRange',
      2,
      /has 300 data rows \(0-299\); out of range: 300, 301/,
    );
    const b = await fileOf(other.runId, 'bureau.csv');
    await refused(['--file', b.id, '--rows', String(b.rows)], 'unlearning.rowsOutOfRange', 2);
    assert.deepEqual(await counts(), before);
  });

  it("--model M --file NAME erases the rows of M's file only", async () => {
    const a = await fileOf(suite.run.runId, 'application.csv');
    const b = await fileOf(other.runId, 'application.csv');
    const [row] = await trainingApplicationRows(suite.run.runId, null, 1);
    const o = await unlearn(['--model', suite.modelId, '--file', 'application.csv', '--rows', String(row)]);
    assert.equal(o.sourceRows, 1);
    assert.equal(o.previousModelId, suite.modelId);
    const erased = await query(
      'MATCH (r:SourceRow) WHERE r.id IN [$a, $b] RETURN r.id AS id, r.erased AS erased, r.key IS NULL AS keyless',
      { a: `${a.id}:${row}`, b: `${b.id}:${row}` },
    );
    const byId = new Map(erased.map((r) => [r.id, r]));
    assert.equal(byId.get(`${a.id}:${row}`)?.erased, true);
    assert.equal(byId.get(`${b.id}:${row}`)?.erased, false, "the other data set's row is untouched");
    assert.equal(byId.get(`${b.id}:${row}`)?.keyless, false);
    assert.deepEqual(await activeOf(other.runId), [modelB], 'model B is not touched');
    // Named by content id, the other file's row resolves without --model (model B is found).
    const ob = await unlearn(['--file', b.id, '--rows', String(row)]);
    assert.equal(ob.previousModelId, modelB);
  });

  it('business keys resolve within one model line: several active models must be told apart with --model', async () => {
    const a = await fileOf(suite.run.runId, 'application.csv');
    const b = await fileOf(other.runId, 'application.csv');
    const [shared] = await query(
      `MATCH (ra:SourceRow)-[:IN_FILE]->(:SourceFile {id: $a}), (rb:SourceRow {key: ra.key})-[:IN_FILE]->(:SourceFile {id: $b})
       WHERE ra.key IS NOT NULL RETURN ra.key AS key, ra.id AS aRow, rb.id AS bRow ORDER BY ra.row LIMIT 1`,
      { a: a.id, b: b.id },
    );
    assert.ok(shared, 'the two data sets share SK_ID_CURR keys');
    const before = await counts();
    const [activeA] = await activeOf(suite.run.runId);
    const [activeB] = await activeOf(other.runId);
    await refused(
      ['--key', `SK_ID_CURR=${shared.key}`],
      'unlearning.ambiguousModel',
      2,
      new RegExp(`${activeA}[\\s\\S]*${activeB}|${activeB}[\\s\\S]*${activeA}`),
    );
    assert.deepEqual(await counts(), before);
    const o = await unlearn(['--model', modelB, '--key', `SK_ID_CURR=${shared.key}`]);
    assert.equal(o.sourceRows, 1);
    const rows = await query(
      'MATCH (r:SourceRow) WHERE r.id IN [$a, $b] RETURN r.id AS id, r.erased AS erased',
      {
        a: shared.aRow,
        b: shared.bRow,
      },
    );
    assert.deepEqual(
      new Map(rows.map((r) => [r.id, r.erased])),
      new Map([
        [shared.aRow, false],
        [shared.bRow, true],
      ]),
    );
  });

  it('refuses an update that leaves too few training rows or a single class; the previous version stays', async () => {
    const before = await counts();
    const [active] = await activeOf(suite.run.runId);
    const [row] = await trainingApplicationRows(suite.run.runId, null, 1);
    await refused(
      [
        '--model',
        active,
        '--file',
        'application.csv',
        '--rows',
        String(row),
        '--min-training-rows',
        '100000',
      ],
      'unlearning.degenerateModel',
      1,
      /fewer than the minimum of 100000/,
    );
    // Every positive training applicant of model B's data set: one class would remain.
    const positives = await trainingApplicationRows(other.runId, 1, 10_000);
    assert.ok(positives.length > 0);
    const b = await fileOf(other.runId, 'application.csv');
    const [activeB] = await activeOf(other.runId);
    await refused(
      ['--model', activeB, '--file', b.id, '--rows', positives.join(','), '--min-training-rows', '1'],
      'unlearning.degenerateModel',
      1,
      /single class/,
    );
    const failed = await query(
      `MATCH (u:UnlearningRequest {status: 'failed', errorCode: 'unlearning.degenerateModel'})
       RETURN u.error AS error, COUNT { (u)--() } AS edges`,
    );
    assert.equal(failed.length, 2, 'both requests are recorded failed with the reason');
    for (const f of failed) assert.equal(f.edges, 0);
    const after = await counts();
    assert.equal(after.models, before.models, 'no new model');
    assert.equal(after.erased, before.erased, 'no row erased');
    assert.deepEqual(await activeOf(suite.run.runId), [active]);
    assert.deepEqual(await activeOf(other.runId), [activeB]);
  });

  it('repeating an erasure is a no-op answered with the earlier result; a partly repeated one erases the rest', async function () {
    this.timeout(60_000);
    // Tombstones match business keys across files of the same table, and the other data set
    // shares key values with this one: an applicant (and bureau rows) whose keys are erased there
    // would be left out here too. Pick one whose keys are live in every other file of the table.
    const [applicant] = await query(
      `MATCH (s:Sample {split: 'train'})-[:OUTPUT_OF]->(:Run {id: $runId}),
             (s)-[:DERIVED_FROM]->(a:SourceRow)-[:IN_FILE]->(af:SourceFile {table: 'application'}),
             (s)-[:DERIVED_FROM]->(r:SourceRow)-[:IN_FILE]->(f:SourceFile {name: 'bureau.csv'})
       WHERE NOT coalesce(s.erased, false) AND NOT coalesce(r.erased, false)
         AND ALL(o IN COLLECT { MATCH (o:SourceFile {table: af.table}) WHERE o.id <> af.id RETURN o }
                 WHERE EXISTS { (:SourceRow {key: a.key})-[:IN_FILE]->(o) })
         AND ALL(o IN COLLECT { MATCH (o:SourceFile {table: f.table}) WHERE o.id <> f.id RETURN o }
                 WHERE EXISTS { (:SourceRow {key: r.key})-[:IN_FILE]->(o) })
       WITH s, collect(r.row) AS rows WHERE size(rows) >= 3
       RETURN rows ORDER BY s.index LIMIT 1`,
      { runId: suite.run.runId },
    );
    assert.ok(applicant, 'an applicant with three bureau rows whose keys no other erasure touched');
    const [r0, r1] = (applicant.rows as number[]).sort((x, y) => x - y);
    const [model] = await activeOf(suite.run.runId);
    const recompute = (rows: number[], mode = 'recompute') =>
      unlearn(['--model', model, '--file', 'bureau.csv', '--rows', rows.join(','), '--mode', mode]);

    const first = await recompute([r0]);
    assert.equal(first.forgottenTrainSamples, 1);
    assert.equal(first.recomputedSamples, 1, 're-derived, not dropped');
    assert.equal(first.version, 3, 'an earlier test made version 2');
    const before = await counts();
    for (const mode of ['recompute', 'drop']) {
      const again = await recompute([r0], mode);
      assert.equal(again.repeatOf, first.requestId);
      assert.notEqual(again.requestId, first.requestId);
      assert.deepEqual(again.alreadyErased, { rows: 1, requestIds: [first.requestId] });
      assert.equal(again.committed, false);
      assert.equal(again.modelId, first.modelId, 'the earlier result: the model it produced');
      assert.equal(again.version, first.version);
      assert.equal(again.forgottenTrainSamples, first.forgottenTrainSamples);
      const [u] = await query(
        `MATCH (u:UnlearningRequest {id: $id}) RETURN u.status AS status, u.repeatOf AS repeatOf,
                u.alreadyErasedBy AS by, u.forgottenTrainSamples AS forgotten, COUNT { (u)--() } AS edges`,
        { id: again.requestId },
      );
      assert.deepEqual(u, {
        status: 'complete',
        repeatOf: first.requestId,
        by: [first.requestId],
        forgotten: 0,
        edges: 0,
      });
    }
    const after = await counts();
    assert.equal(after.models, before.models, 'no new version');
    assert.equal(after.erased, before.erased);
    assert.deepEqual(await activeOf(suite.run.runId), [first.modelId]);

    const partial = await recompute([r0, r1]);
    assert.deepEqual(partial.alreadyErased, { rows: 1, requestIds: [first.requestId] });
    assert.equal(partial.repeatOf, undefined);
    assert.equal(partial.sourceRows, 1, 'only the row not erased yet');
    assert.equal(partial.previousModelId, first.modelId);
    assert.equal(partial.version, first.version + 1);
    const targets = await query(
      'MATCH (:UnlearningRequest {id: $id})-[:TARGETS]->(r:SourceRow) RETURN r.row AS row',
      { id: partial.requestId },
    );
    assert.deepEqual(
      targets.map((t) => t.row),
      [r1],
    );
  });

  it('repeating an erasure by --key answers with the earlier result (the key is found by its tombstone); a mixed request erases only the live key', async function () {
    this.timeout(120_000);
    // A training applicant with two live bureau rows whose SK_ID_BUREAU is in no other file.
    const [applicant] = await query(
      `MATCH (s:Sample {split: 'train'})-[:OUTPUT_OF]->(:Run {id: $runId}),
             (s)-[:DERIVED_FROM]->(r:SourceRow)-[:IN_FILE]->(:SourceFile {name: 'bureau.csv'})
       WHERE NOT coalesce(s.erased, false) AND NOT coalesce(r.erased, false) AND r.key IS NOT NULL
         AND COUNT { (:SourceRow {key: r.key})-[:IN_FILE]->(:SourceFile {keyColumn: 'SK_ID_BUREAU'}) } = 1
         AND NOT EXISTS { (s)-[:DERIVED_FROM]->(a:SourceRow)-[:IN_FILE]->(:SourceFile {name: 'application.csv'})
                          WHERE a.key IN $erasedKeys }
       WITH s, r ORDER BY r.row
       WITH s, collect(r) AS rows WHERE size(rows) >= 2
       RETURN [x IN rows | x.key] AS keys, [x IN rows | x.id] AS ids ORDER BY s.index LIMIT 1`,
      { runId: suite.run.runId, erasedKeys: await tombstonedApplicantKeys() },
    );
    const [k0, k1] = applicant.keys as string[];
    const [id0, id1] = applicant.ids as string[];
    const byKey = (keys: string[], model?: string) => [
      ...(model ? ['--model', model] : []),
      ...keys.flatMap((k) => ['--key', `SK_ID_BUREAU=${k}`]),
      '--mode',
      'recompute',
    ];

    const first = await unlearn(byKey([k0]));
    assert.equal(first.sourceRows, 1);
    assert.equal(first.forgottenTrainSamples, 1);
    assert.notEqual(first.modelId, first.previousModelId, 'a new version');
    const [erased] = await query('MATCH (r:SourceRow {id: $id}) RETURN r.erased AS erased, r.key AS key', {
      id: id0,
    });
    assert.deepEqual(erased, { erased: true, key: null }, 'the erased row keeps no key');
    const before = await counts();

    // The command again, through the real CLI (without --model): it failed with
    // unlearning.unknownRows (exit 1) since the erased row keeps no key.
    const cli = await runTraceprop(['unlearn', ...byKey([k0]), '--local', '--json']);
    assert.equal(cli.code, 0, cli.stderr);
    // With --model: the key resolves within the files the model's run read.
    const scoped = await unlearn(byKey([k0], first.modelId));
    for (const again of [cli.json<UnlearningOutcome>(), scoped]) {
      assert.equal(again.repeatOf, first.requestId);
      assert.notEqual(again.requestId, first.requestId);
      assert.deepEqual(again.alreadyErased, { rows: 1, requestIds: [first.requestId] });
      assert.equal(again.committed, false);
      assert.equal(again.modelId, first.modelId);
      assert.equal(again.version, first.version);
      assert.equal(again.forgottenTrainSamples, first.forgottenTrainSamples);
    }
    const after = await counts();
    assert.equal(after.models, before.models, 'no new version');
    assert.equal(after.erased, before.erased);
    assert.equal(Number(after.requests), Number(before.requests) + 2);
    assert.deepEqual(await activeOf(suite.run.runId), [first.modelId], 'the active model is unchanged');

    // One erased key and one live key: only the live one is erased.
    const mixed = await unlearn(byKey([k0, k1]));
    assert.equal(mixed.repeatOf, undefined);
    assert.deepEqual(mixed.alreadyErased, { rows: 1, requestIds: [first.requestId] });
    assert.equal(mixed.sourceRows, 1, 'only the live key');
    assert.equal(mixed.previousModelId, first.modelId);
    assert.equal(mixed.version, first.version + 1);
    const targets = await query(
      'MATCH (:UnlearningRequest {id: $id})-[:TARGETS]->(r:SourceRow) RETURN r.id AS id',
      { id: mixed.requestId },
    );
    assert.deepEqual(
      targets.map((t) => t.id),
      [id1],
    );

    // A key that is neither live nor tombstoned is still unknown, with or without --model.
    const none = await counts();
    await refused(byKey(['no-such-bureau']), 'unlearning.unknownRows', 1, /no-such-bureau/);
    await refused(
      byKey([k0, 'no-such-bureau'], mixed.modelId),
      'unlearning.unknownRows',
      1,
      /no-such-bureau/,
    );
    assert.deepEqual(await counts(), none);
  });
});
