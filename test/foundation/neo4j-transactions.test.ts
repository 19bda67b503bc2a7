import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/config.js';
import { scanTransactionCalls, scanTransactionCatches } from './neo4j-transaction-calls.js';

/**
 * The driver calls under `src/` allowed outside managed, routed, bookmarked transactions, as
 * `<path>:<kind>:<first argument>`, each with its reason. Everything else reads in `executeRead`
 * (or `driver.executeQuery` with `routing: 'READ'`) and writes in `executeWrite`, in sessions
 * opened by `openSession` (which carry the client's bookmark manager): a routing driver then
 * sends reads to secondaries, retries transient errors, and every read sees the client's writes.
 */
const allowed: Record<string, string> = {
  "src/graph/connection.ts:auto-commit:cypherText('health', 'server-components')":
    'the health check must report an unreachable Neo4j at once; executeRead would retry it for maxTransactionRetryTime (READ session: still routed to a reader)',
  "src/graph/fail-run.ts:auto-commit:cypherText('ingest', 'delete-run-samples')":
    'CALL { } IN TRANSACTIONS runs only in an auto-commit query (WRITE session: routed to the leader; idempotent)',
  "src/graph/fail-run.ts:auto-commit:cypherText('ingest', 'delete-file-rows')":
    'CALL { } IN TRANSACTIONS runs only in an auto-commit query (WRITE session: routed to the leader; idempotent)',
  'src/serve/stream-cypher-rows.ts:unmanaged:{ timeout: limits.timeoutMs }':
    'rows stream to the HTTP client as they arrive, so a retry could not take back what was sent (READ session with bookmarks)',
  "src/graph/connection.ts:bare-session:{ database: client.database, defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE, bookmarkManager: client.bookmarkManager, }":
    'openSession itself: the one place a session is made, with the client bookmark manager',
};

/** Every `.ts` file under `dir`, at any depth, sorted (src/web is browser code, built apart). */
function tsFilesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return full.endsWith(`${path.sep}web`) ? [] : tsFilesUnder(full);
      return entry.name.endsWith('.ts') ? [full] : [];
    })
    .sort();
}

/**
 * The `catch`es allowed inside transaction functions, as `<path>:<detail>`, each with its reason:
 * none may swallow or rewrap a driver error (the driver retries only its own transient errors).
 */
const allowedCatches: Record<string, string> = {
  'src/jobs/unlearning/scrub-derived-stores.ts:try/catch { artifact = await artifactOf(m.id); }':
    'catches reading a model artifact file (no driver call inside the try): the scrub is then blocked, not failed',
  'src/jobs/unlearning/scrub-derived-stores.ts:.catch() artifactOf(m.id)':
    'a superseded model whose artifact file is gone holds nothing to shred (no driver call)',
  'src/jobs/unlearning/scrub-derived-stores.ts:.catch() modelArtifactState(home, m.id)':
    "reads the gone artifact's manifest from the artifact store (no driver call): unreadable means no shred to record",
};

const key = (c: { file: string; kind: string; detail: string }) => `${c.file}:${c.kind}:${c.detail}`;

describe('Neo4j: every query in a managed transaction (cluster-ready)', function () {
  this.timeout(120_000);

  it('finds no auto-commit, unmanaged, unrouted or bookmark-less driver call under src/ off the allowlist', () => {
    const calls = scanTransactionCalls(packageRoot, tsFilesUnder(path.join(packageRoot, 'src')));
    const unexpected = calls.filter((c) => !(key(c) in allowed));
    assert.deepEqual(
      unexpected.map((c) => `${c.file}:${c.line} ${c.kind} ${c.detail}`),
      [],
      'run reads in session.executeRead and writes in session.executeWrite (sessions from openSession); or justify the call in `allowed`',
    );
    // A stale entry (the call was removed or changed) is removed too, so the list stays exact.
    const seen = new Set(calls.map(key));
    assert.deepEqual(
      Object.keys(allowed).filter((k) => !seen.has(k)),
      [],
      'allowlist entries that match no call',
    );
  });

  it('flags planted bare calls by the type of their receiver, whatever the variable is called', () => {
    const planted = path.join(packageRoot, 'src', 'graph', '__planted-transactions.ts');
    const source = [
      "import neo4j, { type Session } from 'neo4j-driver';",
      'export async function planted(s: Session, db: neo4j.Driver) {',
      "  await s.run('RETURN 1');",
      "  const t = s.beginTransaction(); await t.run('RETURN 2'); await t.commit();",
      "  await db.executeQuery('RETURN 3', {}, { database: 'neo4j' });",
      "  await db.executeQuery('RETURN 4', {}, { database: 'neo4j', routing: 'READ' });",
      "  const other = db.session({ database: 'neo4j' }); await other.close();",
      "  await s.executeRead((tx) => tx.run('RETURN 5'));",
      '}',
    ].join('\n');
    const found = scanTransactionCalls(packageRoot, [], { [planted]: source });
    assert.deepEqual(
      found.map((c) => [c.line, c.kind, c.detail]),
      [
        [3, 'auto-commit', "'RETURN 1'"],
        [4, 'unmanaged', ''],
        [5, 'no-routing', "'RETURN 3'"],
        [7, 'bare-session', "{ database: 'neo4j' }"],
      ],
    );
  });

  it('finds no catch inside a transaction function that could hide a transient error from the retry', () => {
    const catches = scanTransactionCatches(packageRoot, tsFilesUnder(path.join(packageRoot, 'src')));
    const unexpected = catches.filter((c) => !(`${c.file}:${c.detail}` in allowedCatches));
    assert.deepEqual(
      unexpected.map((c) => `${c.file}:${c.line} ${c.detail}`),
      [],
      'a catch inside executeRead/executeWrite (or a function taking a ManagedTransaction) must rethrow driver errors unchanged: justify it in `allowedCatches`',
    );
    const seen = new Set(catches.map((c) => `${c.file}:${c.detail}`));
    assert.deepEqual(
      Object.keys(allowedCatches).filter((k) => !seen.has(k)),
      [],
      'allowedCatches entries that match no catch',
    );
  });

  it('flags a planted catch in a transaction function, and none outside one', () => {
    const planted = path.join(packageRoot, 'src', 'graph', '__planted-catches.ts');
    const source = [
      "import type { ManagedTransaction, Session } from 'neo4j-driver';",
      'export async function helper(tx: ManagedTransaction) {',
      "  try { await tx.run('RETURN 1'); } catch { throw new Error('rewrapped'); }",
      '}',
      'export async function outer(s: Session) {',
      "  await s.executeWrite((t) => t.run('RETURN 2').catch(() => null));",
      '  try { await s.close(); } catch { /* not in a transaction function */ }',
      '}',
    ].join('\n');
    const found = scanTransactionCatches(packageRoot, [], { [planted]: source });
    assert.deepEqual(
      found.map((c) => [c.line, c.detail]),
      [
        [3, "try/catch { await tx.run('RETURN 1'); }"],
        [6, ".catch() t.run('RETURN 2')"],
      ],
    );
  });
});
