import type { AppendedStatement } from '../../src/evidence/append-statement.js';
import { recordStatement } from '../../src/evidence/record-statement.js';
import type { SigningKey } from '../../src/evidence/signing-key.js';
import type { GraphClient } from '../../src/graph/connection.js';
import { withTestSession } from '../support/graph.js';

/** Appends `count` small `run` statements, one write transaction each, in order. */
export async function appendRunStatements(
  client: GraphClient,
  key: SigningKey,
  count: number,
  label = 'r',
): Promise<AppendedStatement[]> {
  const appended: AppendedStatement[] = [];
  for (let i = 0; i < count; i++) {
    appended.push(
      await withTestSession(client, (session) =>
        session.executeWrite((tx) => recordStatement(tx, key, testStatement(`${label}${i}`))),
      ),
    );
  }
  return appended;
}

/** A `run` statement about one made-up file. */
export function testStatement(runId: string) {
  return {
    kind: 'run' as const,
    ref: runId,
    subject: [{ name: `${runId}.csv`, digest: { sha256: '0'.repeat(63) + (runId.length % 10) } }],
    predicate: { runId, counts: { samples: runId.length } },
  };
}

/** Runs one Cypher statement in its own session (the tamper steps of the tests). */
export async function cypher(client: GraphClient, text: string, params: Record<string, unknown> = {}) {
  return withTestSession(client, (session) => session.run(text, params));
}

/** The error code a promise rejects with (undefined when it resolves). */
export async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}
