import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { resolveErasureSalt } from '../../src/erasure/erasure-salt.js';
import { parseEnvelope } from '../../src/evidence/dsse-envelope.js';
import { generateSigningKey } from '../../src/evidence/key-file.js';
import { verifyStatement } from '../../src/evidence/verify-statement.js';
import { type CommitOutcome, commitJobResult, type JobCommit } from '../../src/graph/commit-job-result.js';
import { withSession } from '../../src/graph/connection.js';
import { runAttributionJob } from '../../src/jobs/attribution/run-attribution-job.js';
import { trainRunModel } from '../../src/jobs/train/run-train-job.js';
import { prepareUnlearningRequest } from '../../src/jobs/unlearning/prepare-unlearning-request.js';
import { runUnlearningInProcess } from '../../src/jobs/unlearning/run-unlearning-in-process.js';
import { runUnlearningJob } from '../../src/jobs/unlearning/run-unlearning-job.js';
import type { UnlearningOutcome } from '../../src/jobs/unlearning/unlearning-outcome.js';
import { recordUnlearningRequest } from '../../src/jobs/unlearning/unlearning-request-store.js';
import { useTrainedRun } from '../models/ingested-run.js';
import { testServices } from '../support/services.js';

/**
 * Issue 13 item 1: attribution jobs and erasures (one statement per model line) are signed
 * in-toto statements in the transparency log, written in their exactly-once write-back; without
 * a signing key nothing is signed.
 */
describe('signed statements of attribution jobs and erasures', function () {
  this.timeout(240_000);
  const { graph, suite, query, activeModels } = useTrainedRun(200, 61);
  const key = generateSigningKey();
  const progress = async () => {};

  /** Application rows behind training samples that no request erased yet, with their key and subject. */
  const trainingRows = async (n: number, skip: number) =>
    query(
      `MATCH (s:Sample {split: 'train'})-[:OUTPUT_OF]->(:Run {id: $run}),
             (s)-[:DERIVED_FROM]->(r:SourceRow)-[:IN_FILE]->(:SourceFile {table: 'application'})
       WHERE NOT r.erased
       WITH DISTINCT r ORDER BY r.row SKIP toInteger($skip) LIMIT toInteger($n)
       RETURN r.id AS id, r.row AS row, r.key AS key, r.subject AS subject`,
      { run: suite.run.runId, n, skip },
    );

  const statements = async (kind?: string) =>
    query(
      `MATCH (s:Statement) WHERE $kind IS NULL OR s.kind = $kind
       RETURN s.id AS id, s.kind AS kind, s.ref AS ref ORDER BY s.logIndex`,
      { kind: kind ?? null },
    );

  /** Prepares and records an erasure of application rows (every line that read them, or `modelId`'s). */
  async function prepareErasure(rows: number[], modelId?: string) {
    const { config } = testServices();
    const salt = resolveErasureSalt(config);
    const requestId = `stmt-${randomUUID()}`;
    const prepared = await withSession(graph(), (s) =>
      s.executeRead((tx) =>
        prepareUnlearningRequest(
          tx,
          {
            requestId,
            target: { file: 'application.csv', rows },
            mode: 'drop',
            verify: false,
            ...(modelId ? { modelId } : {}),
          },
          salt,
        ),
      ),
    );
    await recordUnlearningRequest(graph(), prepared.record);
    return { requestId, input: prepared.input, salt };
  }

  const paramsSha256Of = async (modelId: string) =>
    String((await query('MATCH (m:Model {id: $id}) RETURN m.paramsSha256 AS h', { id: modelId }))[0].h);

  it('without a signing key, attribution and erasure write their results and sign nothing', async () => {
    const { home } = testServices();
    const attributed = await runAttributionJob(
      { client: graph(), home, jobId: `attr-${randomUUID()}`, attempt: 1, progress },
      { modelId: suite.modelId, samples: 'test', top: 3, method: 'ns' },
    );
    assert.ok(attributed.committed && attributed.predictions > 0);
    const rows = (await trainingRows(1, 0)).map((r) => Number(r.row));
    const { input, salt } = await prepareErasure(rows, suite.modelId);
    const erased = await runUnlearningInProcess(graph(), home, input, undefined, salt);
    assert.ok(erased.committed);
    assert.notEqual(erased.modelId, suite.modelId, 'the erasure made a new version');
    assert.deepEqual(await statements(), []);
    assert.deepEqual(await query('MATCH (e:LogEntry) RETURN e.index AS i'), []);
  });

  it('an attribution job logs one verifiable attribution statement; running it again logs none', async () => {
    const { home } = testServices();
    const [modelId] = await activeModels();
    const jobId = `attr-${randomUUID()}`;
    const config = { client: graph(), home, jobId, attempt: 1, progress, signingKey: key };
    const request = { modelId, samples: 'test' as const, top: 3, method: 'ns' as const };
    const first = await runAttributionJob(config, request);
    assert.equal(first.committed, true);
    const logged = await statements('attribution');
    assert.equal(logged.length, 1);
    assert.equal(logged[0].ref, jobId);

    const checked = await verifyStatement(graph(), String(logged[0].id));
    assert.equal(checked.kind, 'attribution');
    assert.deepEqual(checked.keyIds, [key.keyId]);
    assert.equal(checked.statement.predicateType, 'https://traceprop.dev/attribution/v1');
    const p = checked.statement.predicate as {
      jobId: string;
      modelId: string;
      method: string;
      counts: { predictions: number; influencedBy: number; sourceShares: number; trainRows: number };
      shares: { file: string; name: string; predictions: number; meanShare: number }[];
      codeVersion: string;
    };
    assert.equal(p.jobId, jobId);
    assert.equal(p.modelId, modelId);
    assert.equal(p.method, 'ns');
    assert.equal(typeof p.codeVersion, 'string');
    assert.equal(p.counts.predictions, first.predictions);
    assert.equal(p.counts.influencedBy, first.influencedBy);
    assert.equal(p.counts.trainRows, first.trainRows);
    const [edges] = await query(
      `MATCH (:Prediction)-[e:SOURCE_SHARE {jobId: $jobId}]->(f:SourceFile)
       WITH f, count(e) AS n, avg(e.share) AS mean ORDER BY f.id
       RETURN sum(n) AS total, collect({file: f.id, name: f.name, predictions: n, meanShare: mean}) AS files`,
      { jobId },
    );
    assert.equal(p.counts.sourceShares, edges.total);
    assert.ok(p.shares.length > 0);
    const files = edges.files as { file: string; name: string; predictions: number; meanShare: number }[];
    assert.deepEqual(
      [...p.shares].sort((a, b) => a.file.localeCompare(b.file)).map((s) => [s.file, s.name, s.predictions]),
      files.map((f) => [f.file, f.name, f.predictions]),
    );
    for (const s of p.shares) {
      const expected = files.find((f) => f.file === s.file)?.meanShare ?? Number.NaN;
      assert.ok(Math.abs(s.meanShare - expected) < 1e-9, `${s.name}: ${s.meanShare} vs ${expected}`);
    }
    const subjects = Object.fromEntries(checked.statement.subject.map((s) => [s.name, s.digest.sha256]));
    assert.equal(subjects[`model:${modelId}/params`], await paramsSha256Of(modelId));
    for (const f of files) assert.equal(subjects[f.name], f.file);

    // The same job again (a redelivery): its write-back finds the JobRun committed, logs nothing.
    const again = await runAttributionJob(config, request);
    assert.equal(again.committed, false);
    assert.equal((await statements('attribution')).length, 1);
  });

  it('an erasure over two model lines logs one verifiable erasure statement per line: row ids and hashes, never content', async () => {
    const { home } = testServices();
    await trainRunModel({ client: graph(), home, runId: suite.run.runId, lambda: 1e-1 });
    const lines = await activeModels();
    assert.equal(lines.length, 2);
    const rows = await trainingRows(2, 5);
    const { requestId, input, salt } = await prepareErasure(rows.map((r) => Number(r.row)));
    assert.deepEqual(input.lines, lines);
    const before = (await statements()).length;
    const outcome = await runUnlearningInProcess(graph(), home, input, undefined, salt, undefined, key);
    assert.equal(outcome.lines?.length, 2);

    const logged = (await statements('erasure')).filter((s) => String(s.ref).startsWith(`${requestId}#`));
    assert.deepEqual(logged.map((s) => s.ref).sort(), lines.map((l) => `${requestId}#${l}`).sort());
    assert.equal((await statements()).length, before + 2);
    const tombstones = await query(
      'MATCH (t:Tombstone) WHERE t.id IN $ids RETURN t.id AS id, t.keyHash AS keyHash',
      {
        ids: rows.map((r) => r.id),
      },
    );
    assert.equal(tombstones.length, 2);
    for (const s of logged) {
      const checked = await verifyStatement(graph(), String(s.id));
      assert.equal(checked.kind, 'erasure');
      assert.deepEqual(checked.keyIds, [key.keyId]);
      assert.equal(checked.statement.predicateType, 'https://traceprop.dev/erasure/v1');
      const p = checked.statement.predicate as Record<string, unknown> & {
        rows: Record<string, unknown>[];
        counts: { sourceRows: number; affectedSamples: number };
        certificate: { gradientResidual: number; withinBudget: boolean } | null;
      };
      const line = String(p.line);
      const produced: UnlearningOutcome | undefined = outcome.lines?.find((o) => o.previousModelId === line);
      assert.ok(produced, `line ${line} was updated`);
      assert.equal(p.requestId, requestId);
      assert.equal(p.previousModelId, line);
      assert.equal(p.modelId, produced.modelId);
      assert.equal(p.counts.sourceRows, 2);
      assert.equal(p.counts.affectedSamples, produced.affectedSamples);
      assert.equal(typeof p.certificate?.gradientResidual, 'number');
      assert.equal(typeof p.certificate?.withinBudget, 'boolean');
      // The rows: ids, file hash, row number and the tombstones' salted key hashes; nothing else.
      assert.deepEqual(
        p.rows.map((r) => r.id),
        rows.map((r) => String(r.id)).sort(),
      );
      for (const r of p.rows) {
        for (const field of Object.keys(r))
          assert.ok(['id', 'file', 'row', 'keyHash', 'subjectHash'].includes(field), `row field ${field}`);
        assert.equal(r.id, `${r.file}:${r.row}`);
        assert.equal(r.keyHash, tombstones.find((t) => t.id === r.id)?.keyHash);
      }
      // The statement's bytes as the log holds them.
      const [entry] = await query('MATCH (e:LogEntry {index: toInteger($i)}) RETURN e.envelope AS envelope', {
        i: checked.logIndex,
      });
      const payload = Buffer.from(parseEnvelope(String(entry.envelope)).payload, 'base64').toString('utf8');
      for (const r of rows) {
        assert.ok(r.key !== null && r.key !== undefined, 'the application rows have a business key');
        assert.ok(
          !payload.includes(JSON.stringify(String(r.key))),
          `the key ${r.key} is not in the statement`,
        );
        assert.ok(!payload.includes(JSON.stringify(r.key)), `the key ${r.key} is not in the statement`);
      }
      // Subjects: the previous and the new parameters as the graph records them.
      const subjects = Object.fromEntries(checked.statement.subject.map((x) => [x.name, x.digest.sha256]));
      assert.equal(subjects[`model:${line}/params`], await paramsSha256Of(line));
      assert.equal(subjects[`model:${produced.modelId}/params`], await paramsSha256Of(produced.modelId));
      assert.ok(subjects[`erasure:${requestId}/rows`]);
    }

    // Every line's versions are kept on the request (not only the last line's), so a later request
    // for the same rows on the first line's new version is a repeat of this one.
    const [request] = await query(
      'MATCH (u:UnlearningRequest {id: $id}) RETURN u.previousModelIds AS before, u.modelIds AS after',
      { id: requestId },
    );
    assert.deepEqual([...(request.before as string[])].sort(), lines);
    assert.deepEqual(
      [...(request.after as string[])].sort(),
      (outcome.lines ?? []).map((l) => l.modelId).sort(),
    );
    const firstLineNow = outcome.lines?.find((l) => l.previousModelId === lines[0])?.modelId;
    const repeat = await prepareErasure(
      rows.map((r) => Number(r.row)),
      firstLineNow,
    );
    const repeated = await runUnlearningInProcess(
      graph(),
      home,
      repeat.input,
      undefined,
      repeat.salt,
      undefined,
      key,
    );
    assert.equal(repeated.repeatOf, requestId, 'the first line already forgot these rows');
    assert.equal((await statements()).length, before + 2, 'a repeat erases nothing and logs nothing');

    // The same request run again (a redelivered job): it answers from its record, logs nothing.
    const again = await runUnlearningInProcess(graph(), home, input, undefined, salt, undefined, key);
    assert.equal(again.requestId, requestId);
    assert.equal((await statements()).length, before + 2);
  });

  it('a redelivered erasure write-back appends no second statement (exactly once)', async () => {
    const { home } = testServices();
    const [modelId] = await activeModels();
    const rows = (await trainingRows(1, 12)).map((r) => Number(r.row));
    const { requestId, input, salt } = await prepareErasure(rows, modelId);
    const jobId = `unlearning-replay-${requestId}`;
    const replays: CommitOutcome<unknown>[] = [];
    // Each write-back is delivered twice to the same JobRun, as a worker retried after its commit would.
    const commit: JobCommit = async (write) => {
      const first = await commitJobResult(graph(), { jobId, kind: 'unlearning' }, write);
      replays.push(await commitJobResult(graph(), { jobId, kind: 'unlearning' }, write));
      return first;
    };
    const before = (await statements()).length;
    const outcome = await runUnlearningJob(
      { client: graph(), home, commit, erasureSalt: salt, signingKey: key },
      input,
    );
    assert.equal(outcome.committed, true);
    assert.equal(replays.length, 1);
    assert.equal(replays[0].committed, false);
    const logged = await statements('erasure');
    assert.deepEqual(
      logged.filter((s) => String(s.ref).startsWith(`${requestId}#`)).map((s) => s.ref),
      [`${requestId}#${modelId}`],
    );
    assert.equal((await statements()).length, before + 1);
  });
});
