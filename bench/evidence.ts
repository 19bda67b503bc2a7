import { createHash } from 'node:crypto';
import neo4j from 'neo4j-driver';
import { appendStatement } from '../src/evidence/append-statement.js';
import { serialiseEnvelope, signEnvelope } from '../src/evidence/dsse-envelope.js';
import { buildStatement } from '../src/evidence/in-toto-statement.js';
import { generateSigningKey } from '../src/evidence/key-file.js';
import {
  appendLeaf,
  emptyFrontier,
  frontierRoot,
  type MerkleFrontier,
} from '../src/evidence/merkle-frontier.js';
import { leafHash } from '../src/evidence/merkle-hash.js';
import { recordStatement } from '../src/evidence/record-statement.js';
import { runStatement } from '../src/evidence/run-statement.js';
import type { SigningKey } from '../src/evidence/signing-key.js';
import { signTreeHead } from '../src/evidence/tree-head.js';
import { verifyLog } from '../src/evidence/verify-log.js';
import type { GraphClient } from '../src/graph/connection.js';
import { measureErasureWriteBack } from './evidence-erasure.js';
import { measureIngestOverhead } from './evidence-ingest.js';
import { median } from './support/interleaved.js';
import { collectStatementTimings } from './support/statement-timings.js';

/** Entries per UNWIND transaction when the bench fills the log. */
const fillBatch = 10_000;

/**
 * The `evidence` bench section (issue 13), on a warm database: `signAndLogMs`, the median time
 * a `run` statement takes to be built, signed (`signMs`) and appended (`appendMs`: key, lock,
 * right edge, entry, statement and signed tree head in one statement) inside a write transaction,
 * and `txAddedMs`, the median difference of interleaved pairs of the same small write transaction
 * with and without it (`txWithoutMs`, `txWithMs`); `erasureWriteBack`: real erasure requests'
 * write-backs with and without their signed statement and log entry, in interleaved pairs, with
 * the statement's own time inside each signed write-back (`measureErasureWriteBack`);
 * `ingestOverhead` and `ingest.statementShare`: 20k ingests with and without their run statement
 * (`measureIngestOverhead`); `signAndLogAt100kMs` (`appendAt100kMs`): as `signAndLogMs`, timed by
 * `recordStatement` itself, on the log filled to 100,000 entries; `verifyLog100kSeconds`, the
 * median wall time of `verify log` (read every envelope in pages, rehash every leaf, recompute
 * the root, check the signed head and that no statement lost its entry) over that log (100,000
 * signed entries written quickly by UNWIND batches, plus the appended ones; 10,000 with
 * `--quick`). Deletes the evidence nodes of the bench's Neo4j first (LogEntry, Statement,
 * TreeHead, SigningKey, LogState): the section refuses to start unless that Neo4j is private
 * (`assertPrivateNeo4j`).
 */
export async function runEvidenceBench(opts: {
  quick?: boolean;
  log: (s: string) => void;
  client: GraphClient;
}): Promise<Record<string, unknown>> {
  const { client, log } = opts;
  const entries = opts.quick ? 10_000 : 100_000;
  const rounds = opts.quick ? 10 : 40;
  await clearEvidence(client);
  const key = generateSigningKey();

  // signAndLogMs: interleaved pairs of transactions with and without the statement (the order
  // within a pair alternates), on a warm database (3 warm-up pairs dropped).
  const without: number[] = [];
  const withStatement: number[] = [];
  const added: number[] = [];
  const signing: number[] = [];
  const appending: number[] = [];
  const session = client.driver.session({ database: client.database });
  const bare = async (id: string) => {
    const t = performance.now();
    await session.executeWrite((tx) =>
      tx.run('MERGE (j:BenchJob {id: $id}) SET j.at = $at', { id, at: Date.now() }),
    );
    return performance.now() - t;
  };
  const signed = async (id: string, i: number) => {
    const t = performance.now();
    let signMs = 0;
    let appendMs = 0;
    await session.executeWrite(async (tx) => {
      await tx.run('MERGE (j:BenchJob {id: $id}) SET j.at = $at', { id, at: Date.now() });
      const s = performance.now();
      const event = benchRunStatement(i);
      const statement = buildStatement(event.kind, event.subject, event.predicate);
      const envelope = signEnvelope(Buffer.from(JSON.stringify(statement), 'utf8'), [key]);
      const a = performance.now();
      await appendStatement(tx, envelope, { key, ref: event.ref });
      signMs = a - s;
      appendMs = performance.now() - a;
    });
    return { ms: performance.now() - t, signMs, appendMs };
  };
  try {
    for (let i = 0; i < rounds + 3; i++) {
      let w: number;
      let s: Awaited<ReturnType<typeof signed>>;
      if (i % 2 === 0) {
        w = await bare(`w${i}`);
        s = await signed(`s${i}`, i);
      } else {
        s = await signed(`s${i}`, i);
        w = await bare(`w${i}`);
      }
      if (i < 3) continue;
      without.push(w);
      withStatement.push(s.ms);
      added.push(s.ms - w);
      signing.push(s.signMs);
      appending.push(s.appendMs);
    }
    await session.run('MATCH (j:BenchJob) DELETE j');
  } finally {
    await session.close();
  }
  const signAndLogMs = median(signing.map((x, i) => x + appending[i]));
  log(
    `evidence: sign and log ${signAndLogMs.toFixed(2)} ms inside the transaction (sign ${median(signing).toFixed(2)}, append ${median(appending).toFixed(2)}); ` +
      `tx ${median(without).toFixed(2)} → ${median(withStatement).toFixed(2)} ms, +${median(added).toFixed(2)} ms (median of ${added.length} pairs)`,
  );

  // erasureWriteBack: the write-back of real erasure requests, signed and unsigned alternately.
  await clearEvidence(client);
  const erasureWriteBack = await measureErasureWriteBack({ client, quick: opts.quick ?? false, log });
  // ingestOverhead: a 20k ingest with and without its run statement.
  await clearEvidence(client);
  const ingest = await measureIngestOverhead({ client, key, quick: opts.quick ?? false, log });

  // verifyLog100kSeconds: fill the log to `entries`, append to it as a write-back does, verify it.
  await clearEvidence(client);
  const filled = performance.now();
  await fillLog(client, key, entries, log);
  const fillSeconds = (performance.now() - filled) / 1000;
  const atFullLog = await appendToFullLog(client, key, rounds, entries, log);
  const logged = entries + atFullLog.appended;
  const times: number[] = [];
  for (let i = 0; i < (opts.quick ? 3 : 5) + 1; i++) {
    const check = await verifyLog(client);
    if (check.entries !== logged)
      throw new Error(`verify log read ${check.entries} entries, expected ${logged}`);
    if (i > 0) times.push(check.seconds);
  }
  const verifySeconds = median(times);
  log(
    `evidence: verify log over ${entries} entries ${verifySeconds.toFixed(2)} s (filled in ${fillSeconds.toFixed(1)} s)`,
  );
  await clearEvidence(client);
  return {
    signAndLogMs,
    signMs: median(signing),
    appendMs: median(appending),
    txWithoutMs: median(without),
    txWithMs: median(withStatement),
    txAddedMs: median(added),
    txPairs: added.length,
    txMeasured:
      'warm database (3 warm-up pairs dropped), interleaved pairs of a one-MERGE write transaction with and without a signed run statement (order alternating within pairs); txAddedMs = median of the per-pair differences; signMs (build + sign the envelope) and appendMs (appendStatement: one round trip when the log is where this process left it) are timed inside the signed transactions',
    erasureWriteBack,
    ingestOverhead: ingest.ingestOverhead,
    ingest,
    [opts.quick ? 'signAndLogAt10kMs' : 'signAndLogAt100kMs']: atFullLog.medianMs,
    [opts.quick ? 'appendAt10kMs' : 'appendAt100kMs']: atFullLog.appendMs,
    [opts.quick ? 'verifyLog10kSeconds' : 'verifyLog100kSeconds']: verifySeconds,
    entries: logged,
    fillSeconds,
  };
}

function benchRunStatement(i: number) {
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');
  return runStatement({
    runId: `bench-run-${i}`,
    pipeline: 'credit-risk',
    mode: 'row',
    files: ['application', 'bureau', 'previous_application'].map((t) => ({
      name: `${t}.csv`,
      table: t,
      sha256: sha(`${t}${i}`),
      rows: 20_000,
    })),
    definition: { name: 'credit-risk', sha256: sha(`pipeline${i}`) },
    counts: { files: 3, ops: 12, sourceRows: 170_000, samples: 20_000, provenanceEdges: 190_000 },
    finishedAt: new Date().toISOString(),
  });
}

/**
 * Writes `entries` signed envelopes as LogEntry + Statement nodes in UNWIND batches, then the
 * log state and one signed tree head, as appends would have left them (without taking the
 * lock per entry: the bench database has no other writer).
 */
async function fillLog(
  client: GraphClient,
  key: SigningKey,
  entries: number,
  log: (s: string) => void,
): Promise<void> {
  let frontier: MerkleFrontier = emptyFrontier();
  const at = new Date().toISOString();
  const session = client.driver.session({ database: client.database });
  try {
    await session.executeWrite((tx) =>
      tx.run('MERGE (k:SigningKey {id: $id}) SET k.publicKey = $pem, k.from = $at', {
        id: key.keyId,
        pem: key.publicKeyPem,
        at,
      }),
    );
    for (let start = 0; start < entries; start += fillBatch) {
      const rows: Record<string, unknown>[] = [];
      for (let i = start; i < Math.min(entries, start + fillBatch); i++) {
        const event = benchRunStatement(i);
        const statement = buildStatement(event.kind, event.subject, event.predicate);
        const payload = Buffer.from(JSON.stringify(statement));
        const envelope = serialiseEnvelope(signEnvelope(payload, [key]));
        const leaf = leafHash(envelope);
        frontier = appendLeaf(frontier, leaf);
        rows.push({
          index: neo4j.int(i),
          leafHash: leaf.toString('hex'),
          envelope,
          id: createHash('sha256').update(envelope).digest('hex'),
          digest: createHash('sha256').update(payload).digest('hex'),
          ref: event.ref,
        });
      }
      await session.executeWrite((tx) =>
        tx.run(
          `UNWIND $rows AS row
           CREATE (e:LogEntry {index: row.index, leafHash: row.leafHash, envelope: row.envelope, at: $at})
           CREATE (s:Statement {id: row.id, kind: 'run', digest: row.digest, logIndex: row.index, ref: row.ref, keyIds: [$keyId]})
           CREATE (s)-[:LOGGED_AS]->(e)`,
          { rows, at, keyId: key.keyId },
        ),
      );
      if ((start / fillBatch) % 2 === 1) log(`evidence: ${start + rows.length} log entries written`);
    }
    const head = signTreeHead(key, entries, frontierRoot(frontier), at);
    await session.executeWrite((tx) =>
      tx.run(
        `CREATE (h:TreeHead) SET h = $head
         MERGE (s:LogState {id: 'log'}) SET s.size = $head.size, s.rootHash = $head.rootHash, s.frontier = $frontier`,
        {
          head: { ...head, size: neo4j.int(head.size) },
          frontier: frontier.hashes.map((h) => h.toString('hex')),
        },
      ),
    );
  } finally {
    await session.close();
  }
}

/**
 * Records `rounds` run statements (3 more as warm-up) on the full log, each in a small write
 * transaction as a write-back records it; the median of recordStatement's time in the transaction
 * (build, sign, append) and of the append alone.
 */
async function appendToFullLog(
  client: GraphClient,
  key: SigningKey,
  rounds: number,
  entries: number,
  log: (s: string) => void,
): Promise<{ medianMs: number; appendMs: number; appended: number }> {
  const timings = collectStatementTimings();
  const session = client.driver.session({ database: client.database });
  const total: number[] = [];
  const appending: number[] = [];
  try {
    for (let i = 0; i < rounds + 3; i++) {
      await session.executeWrite(async (tx) => {
        await tx.run('MERGE (j:BenchJob {id: $id}) SET j.at = $at', { id: `full${i}`, at: Date.now() });
        await recordStatement(tx, key, benchRunStatement(entries + i));
      });
      const [timing] = timings.take();
      if (i < 3) continue;
      total.push(timing.totalMs);
      appending.push(timing.appendMs);
    }
    await session.run('MATCH (j:BenchJob) DELETE j');
  } finally {
    timings.stop();
    await session.close();
  }
  log(
    `evidence: sign and log on a log of ${entries} entries ${median(total).toFixed(2)} ms inside the transaction (append ${median(appending).toFixed(2)}; median of ${total.length})`,
  );
  return { medianMs: median(total), appendMs: median(appending), appended: rounds + 3 };
}

async function clearEvidence(client: GraphClient): Promise<void> {
  const session = client.driver.session({ database: client.database });
  try {
    await session.run(
      'MATCH (n) WHERE n:LogEntry OR n:Statement OR n:TreeHead OR n:SigningKey OR n:LogState CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS',
    );
  } finally {
    await session.close();
  }
}
