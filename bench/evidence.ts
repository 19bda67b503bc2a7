import { createHash } from 'node:crypto';
import neo4j from 'neo4j-driver';
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

/** Entries per UNWIND transaction when the bench fills the log. */
const fillBatch = 10_000;

/**
 * The `evidence` bench section (issue 13): `signAndLogMs`, the median time a `run` statement
 * takes to be signed and appended inside a write transaction (lock, right edge, entry,
 * statement, signed tree head), next to the median of the same small write transaction without
 * it (`txWithoutMs`, `txWithMs`); and `verifyLog100kSeconds`, the median wall time of `verify
 * log` (read every envelope in pages, rehash every leaf, recompute the root, check the signed
 * head and that no statement lost its entry) over a log of 100,000 signed entries (10,000 with
 * `--quick`), written quickly by UNWIND batches; `erasureWriteBack`: a real erasure request's
 * write-back with and without its signed statement and log entry, side by side
 * (`measureErasureWriteBack`); `ingestOverhead` and `ingest.statementShare`: a 20k ingest with
 * and without its run statement (`measureIngestOverhead`). Deletes the evidence nodes of the bench's Neo4j
 * first (LogEntry, Statement, TreeHead, SigningKey, LogState): run it on a bench database only.
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

  // signAndLogMs: interleaved transactions with and without the statement.
  const without: number[] = [];
  const withStatement: number[] = [];
  const inside: number[] = [];
  const session = client.driver.session({ database: client.database });
  try {
    for (let i = 0; i < rounds + 3; i++) {
      const warm = i < 3;
      let t = performance.now();
      await session.executeWrite((tx) =>
        tx.run('MERGE (j:BenchJob {id: $id}) SET j.at = $at', { id: `w${i}`, at: Date.now() }),
      );
      if (!warm) without.push(performance.now() - t);
      t = performance.now();
      await session.executeWrite(async (tx) => {
        await tx.run('MERGE (j:BenchJob {id: $id}) SET j.at = $at', { id: `s${i}`, at: Date.now() });
        const s = performance.now();
        await recordStatement(tx, key, benchRunStatement(i));
        if (!warm) inside.push(performance.now() - s);
      });
      if (!warm) withStatement.push(performance.now() - t);
    }
    await session.run('MATCH (j:BenchJob) DELETE j');
  } finally {
    await session.close();
  }
  const signAndLogMs = median(inside);
  log(
    `evidence: sign and log ${signAndLogMs.toFixed(2)} ms (tx ${median(without).toFixed(2)} → ${median(withStatement).toFixed(2)} ms)`,
  );

  // erasureWriteBack: the write-back of real erasure requests, signed and unsigned alternately.
  await clearEvidence(client);
  const erasureWriteBack = await measureErasureWriteBack({ client, quick: opts.quick ?? false, log });
  // ingestOverhead: a 20k ingest with and without its run statement.
  await clearEvidence(client);
  const ingest = await measureIngestOverhead({ client, key, quick: opts.quick ?? false, log });

  // verifyLog100kSeconds: fill the log to `entries`, then verify it.
  await clearEvidence(client);
  const filled = performance.now();
  await fillLog(client, key, entries, log);
  const fillSeconds = (performance.now() - filled) / 1000;
  const times: number[] = [];
  for (let i = 0; i < (opts.quick ? 3 : 5) + 1; i++) {
    const check = await verifyLog(client);
    if (check.entries !== entries)
      throw new Error(`verify log read ${check.entries} entries, expected ${entries}`);
    if (i > 0) times.push(check.seconds);
  }
  const verifySeconds = median(times);
  log(
    `evidence: verify log over ${entries} entries ${verifySeconds.toFixed(2)} s (filled in ${fillSeconds.toFixed(1)} s)`,
  );
  await clearEvidence(client);
  return {
    signAndLogMs,
    txWithoutMs: median(without),
    txWithMs: median(withStatement),
    erasureWriteBack,
    ingestOverhead: ingest.ingestOverhead,
    ingest,
    [opts.quick ? 'verifyLog10kSeconds' : 'verifyLog100kSeconds']: verifySeconds,
    entries,
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
