import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GraphClient } from '../../src/graph/connection.js';
import { runTraceprop } from '../support/cli.js';
import { withTestSession } from '../support/graph.js';
import { newGraphClient } from '../support/services.js';

/** A bad invocation and what its one-line error must say. */
type BadCall = [args: string[], message: RegExp];

const missing = path.join(os.tmpdir(), 'traceprop-no-such-dir');
/** `ingest credit-risk` with files that do not exist: an option error must come first (exit 2, not 1). */
const ingest = (...extra: string[]) => [
  'ingest',
  'credit-risk',
  '--application',
  path.join(missing, 'application.csv'),
  '--bureau',
  path.join(missing, 'bureau.csv'),
  '--previous',
  path.join(missing, 'previous_application.csv'),
  ...extra,
];

/**
 * Issue 8 item 12: every usage error exits 2 before any work, for every command but `unlearn`
 * and `cypher` (tested with their owners); one or more calls per command and kind of check (each
 * call costs a CLI start). Before the fix many of these exited 1 after work
 * (`train --lambda 0`, `attribute --top 0` after connecting to Redis, `ingest --lambda -1 --train`
 * after writing the run) or were accepted (`--batch-size 0`, `jobs list --limit 0` listing a job,
 * `trace --key =5`, `trace --key AMT_CREDIT`, `db start --port 0`, `lds --alpha 7`).
 */
const badCalls: BadCall[] = [
  [
    ingest('--batch-size', '0'),
    /'--batch-size <n>' argument '0' is invalid\. expected a whole number of at least 1/,
  ],
  [ingest('--train', '--lambda', '-1'), /expected a number above 0, got "-1"/],
  [ingest('--lambda', '0.1'), /--lambda only applies with --train/],
  [ingest('--max-bad-labels', '1.5'), /expected a fraction between 0 and 1, got "1\.5"/],
  [ingest('--label', 'x`y'), /--label must be a column or table name/],
  [ingest('--run-id', '../escape'), /--run-id: expected 1-200 letters, digits and _-\.:, got "\.\.\/escape"/],
  [['train', 'run-1', '--lambda', '0'], /expected a number above 0, got "0"/],
  [['train', 'run-1', '--wait'], /--wait only applies with --queue/],
  [['train', 'run-1', '--queue', '--request-id', ''], /bad train payload: requestId/],
  [['attribute', '--model', 'm', '--top', '0'], /expected a whole number from 1 to 1000, got "0"/],
  [['attribute', '--model', 'm', '--samples', ','], /samples must list at least one sample id/],
  [['trace', '--key', 'AMT_CREDIT'], /--key: expected COLUMN=VALUE .*got "AMT_CREDIT": no "="/],
  [['trace', '--key', '=5'], /--key: expected COLUMN=VALUE .*got "=5": no column before "="/],
  [['trace', '--key', 'SK`ID=1'], /the column "SK`ID" is not a plain identifier/],
  [['trace', '--key', 'SK_ID_CURR=1=2'], /more than one "="/],
  [['trace', '--key', 'SK_ID_CURR='], /no value after "="/],
  [['trace', 'm:s:1', '--model', 'm'], /--model only applies with --key/],
  [['trace', '--key', 'SK_ID_CURR=1', '--top', '0'], /expected a whole number of at least 1, got "0"/],
  [['query', 'ancestors', 'op-1', '--depth', '0'], /expected a whole number of at least 1, got "0"/],
  [['jobs', 'list', '--limit', '0'], /expected a whole number of at least 1, got "0"/],
  [['jobs', 'list', '--state', 'sleeping'], /unknown state "sleeping"/],
  [['worker', '--concurrency', '0'], /expected a whole number of at least 1, got "0"/],
  [['lds', '--alpha', '7'], /expected a fraction strictly between 0 and 1, got "7"/],
  [['lds', '--lambda', '-0.1'], /expected a number above 0, got "-0\.1"/],
  [['lds', '--label', 'y'], /--label only applies with --csv/],
  [['lds', '--dtype', 'float64'], /--dtype must be float32, float16 or int8, got "float64"/],
  [
    ['generate', 'credit-risk', '--applicants', '0', '--out', missing],
    /expected a whole number of at least 1/,
  ],
  [['demo', '--applicants', '5'], /expected a whole number from 100 to 1000000, got "5"/],
  [['db', 'start', '--port', '0'], /expected a whole number from 1 to 65535, got "0"/],
  [['db', 'start', '--heap', 'lots'], /expected a size such as 512m or 1g, got "lots"/],
];

/** Nodes and relationships in the graph (to show that a refused call wrote nothing). */
async function graphSize(client: GraphClient): Promise<{ nodes: number; relationships: number }> {
  return withTestSession(client, async (session) => {
    const result = await session.run(
      'CALL () { MATCH (n) RETURN count(n) AS nodes } CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships } RETURN nodes, relationships',
    );
    return { nodes: result.records[0].get('nodes'), relationships: result.records[0].get('relationships') };
  });
}

describe('CLI usage errors (issue 8 item 12)', function () {
  // Each call is a CLI start (about 1 s of CPU); on a loaded machine that adds up.
  this.timeout(300_000);
  let client: GraphClient;
  before(() => {
    client = newGraphClient();
  });
  after(async () => {
    await client.driver.close();
  });

  it('exits 2 with one clear line, before any work, for each bad invocation, and writes nothing', async () => {
    const before = await graphSize(client);
    const results = new Array<Awaited<ReturnType<typeof runTraceprop>>>(badCalls.length);
    // Four children at a time: each fails at once, the wall time is node start-up.
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < badCalls.length) {
          const k = next++;
          results[k] = await runTraceprop(badCalls[k][0], { timeoutMs: 30_000 });
        }
      }),
    );
    const problems: string[] = [];
    for (const [k, [args, message]] of badCalls.entries()) {
      const r = results[k];
      const call = `traceprop ${args.map((a) => JSON.stringify(a)).join(' ')}`;
      if (r.code !== 2) problems.push(`${call}: exit ${r.code}, expected 2\n${r.stderr}`);
      else if (!message.test(r.stderr))
        problems.push(`${call}: stderr does not match ${message}\n${r.stderr}`);
      else if (r.stdout !== '') problems.push(`${call}: printed to stdout: ${r.stdout}`);
      else if (/\n\s+at /.test(r.stderr)) problems.push(`${call}: printed a stack trace`);
    }
    assert.deepEqual(problems, [], problems.join('\n\n'));
    assert.deepEqual(await graphSize(client), before, 'no refused call wrote to Neo4j');
    assert.equal(fs.existsSync(missing), false, '`generate --applicants 0` created no folder');
  });
});
