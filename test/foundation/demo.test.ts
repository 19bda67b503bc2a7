import assert from 'node:assert/strict';
import { call } from '../serve/serve-harness.js';
import { runTraceprop, startTraceprop } from '../support/cli.js';
import { useCleanGraph } from '../support/graph.js';
import { newGraphClient } from '../support/services.js';

describe('traceprop demo (the whole story)', function () {
  this.timeout(300_000);
  // The graph checks below count model pairs: start from an empty graph so other suites' models do not count.
  useCleanGraph();

  it('generates, ingests, trains, attributes, traces, erases and shows the erasure in a new model version', async () => {
    const result = await runTraceprop(['demo', '--applicants', '400'], { timeoutMs: 280_000 });
    assert.equal(result.code, 0, result.stderr);
    const out = result.stdout;
    for (const step of [
      'generate credit-risk',
      'ingest credit-risk',
      'train',
      'attribute',
      'trace',
      'unlearn',
    ]) {
      assert.match(out, new RegExp(`\\$ traceprop ${step}`), `the demo runs \`traceprop ${step}\``);
    }
    // Issue 8 item 13: the auditor's query step prints its rows (it printed nothing).
    assert.match(
      out,
      /\$ traceprop cypher predictions-of-model --param modelId=\S+\n {2}\d+ predictions of model \S+ listed, attributed ones first:\n {3}\S+: applicant \d+, score \d\.\d{3}, \d+ influences/,
    );
    // Issue 10: the run's declared pipeline is in the graph, and a subject access request finds the applicant's rows.
    assert.match(
      out,
      /\$ traceprop cypher run-pipeline --param runId=\S+\n {2}the run used pipeline "credit-risk" \(traceprop\.pipeline\/1, sha256 [0-9a-f]{12}…\), kept in the graph with its text; its steps: labelled → /,
    );
    assert.match(
      out,
      /\$ traceprop query subject \d+\n {2}subject access request for applicant \d+: [1-9]\d* source rows \(application\.csv 1(, bureau\.csv \d+)?(, previous_application\.csv \d+)?\)/,
    );
    assert.match(out, /Why did model v1 score applicant \d+/);
    assert.match(out, /Why did model v2 score applicant \d+/);
    assert.match(
      out,
      /applicant \d+'s sample now: .*bureau\.csv:\d+ \(erased\)/,
      "the erased applicant's lineage shows the erased rows",
    );
    assert.match(out, /parameter gap closed (1 − \d\.\de[-+]\d+|9\d\.\d+%)/);

    // The graph agrees with what the demo printed: two versions, the erased rows are skeletons.
    const client = newGraphClient();
    try {
      const { records } = await client.driver.executeQuery(
        `MATCH (new:Model)-[:SUPERSEDES]->(old:Model {status: 'superseded'})
         MATCH (u:UnlearningRequest)-[:PRODUCED]->(new), (u)-[:TARGETS]->(r:SourceRow)
         RETURN new.status AS status, count(r) AS targeted, sum(CASE WHEN r.erased AND r.key IS NULL THEN 1 ELSE 0 END) AS skeletons`,
        {},
        { database: client.database },
      );
      assert.equal(records.length, 1);
      assert.equal(records[0].get('status'), 'active');
      assert.ok(records[0].get('targeted') > 0);
      assert.equal(records[0].get('skeletons'), records[0].get('targeted'));
    } finally {
      await client.driver.close();
    }
  });
  it('--serve ends by serving the workbench with a read-only token, revoked when it stops', async () => {
    const demo = startTraceprop(['demo', '--applicants', '200', '--serve', '--port', '0']);
    try {
      const [, url, token] = await new Promise<RegExpMatchArray>((resolve, reject) => {
        const seen =
          /The auditor's workbench: (http:\/\/127\.0\.0\.1:\d+)\/\n {2}read-only token \(role auditor, revoked when the demo stops\): (\S+)/;
        const timer = setInterval(() => {
          const m = demo.log().match(seen);
          if (m) {
            clearInterval(timer);
            resolve(m);
          }
        }, 200);
        demo.exited.then(({ code }) => {
          clearInterval(timer);
          reject(new Error(`demo exited ${code} before serving: ${demo.stderr()}`));
        });
      });
      const who = await call(url, 'GET', '/api/whoami', { token });
      assert.equal(who.status, 200, who.text);
      assert.equal(JSON.parse(who.text).role, 'auditor');
      // Read-only: an erasure request is refused for the demo's token.
      const erase = await call(url, 'POST', '/api/erasures', { token, body: { subject: '100002' } });
      assert.equal(erase.status, 403, erase.text);
      assert.equal((await call(url, 'GET', '/api/whoami')).status, 401);
      demo.child.kill('SIGTERM');
      const exit = await demo.exited;
      assert.equal(exit.code, 0, demo.stderr());
      assert.ok(!demo.stderr().includes(token), 'the token is printed once on stdout, never logged');
      const tokens = (await runTraceprop(['token', 'list', '--json']))
        .ok()
        .json<{ tokens: { name: string; revokedAt: string | null }[] }>().tokens;
      const mine = tokens.filter((t) => t.name === 'demo auditor');
      assert.ok(mine.length > 0 && mine.every((t) => typeof t.revokedAt === 'string'), JSON.stringify(mine));
    } finally {
      if (demo.child.exitCode === null) demo.child.kill('SIGKILL');
    }
  });
});
