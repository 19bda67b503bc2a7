import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import { ExitCode, hasCode, TracepropError, UsageError } from '../../src/errors.js';
import {
  AuditQueryGate,
  auditBuiltInFunctions,
  auditProcedureAllowlist,
  refusalOfText,
} from '../../src/graph/audit-query-gate.js';
import { createGraphClient, withSession } from '../../src/graph/connection.js';
import { listCypherFiles } from '../../src/graph/cypher-library.js';
import { runTraceprop } from '../support/cli.js';
import { useCleanGraph, withTestSession } from '../support/graph.js';
import { graphCounts } from '../support/graph-facts.js';
import { testServices } from '../support/services.js';

/** A tiny HTTP server on 127.0.0.1 that counts the requests it receives (the SSRF target). */
async function startCanary(): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server = http.createServer((_req, res) => {
    hits++;
    res.end('secret,value\ninternal,42\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/x.csv`,
    hits: () => hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Parameters for a Cypher file: every `$name` it mentions, `depth` and `top` integers, the rest strings. */
function dummyParams(text: string): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [, name] of text.matchAll(/\$([A-Za-z_]\w*)/g))
    params[name] = name === 'depth' || name === 'top' ? neo4j.int(3) : 'x';
  return params;
}

describe("graph: the auditors' query gate (EXPLAIN before running)", function () {
  this.timeout(120_000);
  const graph = useCleanGraph();
  let canary: Awaited<ReturnType<typeof startCanary>>;
  let dir: string;

  before(async () => {
    canary = await startCanary();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-gate-'));
    await withTestSession(graph(), (s) =>
      s.run(
        "CREATE (:Run {id: 'gate-run', status: 'complete'})<-[:OUTPUT_OF]-(:Sample {id: 'gate-run:s:0', split: 'train'})",
      ),
    );
  });
  after(async () => {
    await canary.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const refusedWith = (code: string, what: RegExp) => (err: unknown) =>
    err instanceof UsageError &&
    err.code === code &&
    err.exitCode === ExitCode.usage &&
    what.test(err.message);

  it('refuses LOAD CSV however it is written, and the URL is never fetched', async () => {
    const gate = new AuditQueryGate(graph());
    const attempts = [
      `LOAD CSV FROM '${canary.url}' AS line RETURN line`,
      `// an innocent comment\nlOaD /* hidden */ cSv WITH HEADERS FROM '${canary.url}' AS line RETURN line`,
      `MATCH (s:Sample) CALL (s) { LOAD CSV FROM '${canary.url}' AS line RETURN line } RETURN line`,
      `RETURN COLLECT { LOAD CSV FROM '${canary.url}' AS line RETURN line } AS lines`,
      // a nested plan: the call shows only in the operator's details
      `RETURN [x IN [1] | COLLECT { LOAD CSV FROM '${canary.url}' AS line RETURN line }] AS lines`,
      'LOAD CSV FROM $url AS line RETURN line',
    ];
    for (const cypher of attempts) {
      await assert.rejects(
        gate.run(cypher, { url: canary.url }),
        refusedWith('cypher.loadCsvRefused', /LOAD CSV/),
        cypher,
      );
    }
    const file = path.join(dir, 'ssrf.cypher');
    fs.writeFileSync(file, `// looks like a report\nLOAD CSV FROM '${canary.url}' AS line RETURN line\n`);
    const cli = await runTraceprop(['cypher', file]);
    assert.equal(cli.code, 2, cli.stderr);
    assert.match(cli.stderr, /cypher\.loadCsvRefused.*LOAD CSV/);
    assert.equal(cli.stdout, '');
    assert.equal(canary.hits(), 0, 'the gate let the database fetch the URL');
  });

  it('the local Neo4j itself refuses LOAD CSV from loopback and private addresses and files outside import', async () => {
    // A WRITE session, no gate: what any other client of this Neo4j could try.
    const port = new URL(canary.url).port;
    for (const url of [
      canary.url,
      `http://localhost:${port}/x.csv`,
      `http://[::1]:${port}/x.csv`,
      `http://2130706433:${port}/x.csv`, // 127.0.0.1 as one decimal number
      'http://169.254.169.254/latest/meta-data/', // cloud metadata service
      'http://10.0.0.1/x.csv',
    ]) {
      await assert.rejects(
        withTestSession(graph(), (s) => s.run('LOAD CSV FROM $url AS line RETURN line', { url })),
        (err: unknown) =>
          (err as { code?: string }).code === 'Neo.ClientError.Statement.ExternalResourceFailed' &&
          /blocked via the configuration property internal\.dbms\.cypher_ip_blocklist/.test(
            (err as Error).message,
          ),
        url,
      );
    }
    assert.equal(canary.hits(), 0, 'the database fetched from 127.0.0.1');
    for (const url of ['file:///etc/passwd', 'file:///../../../../../../etc/passwd']) {
      await assert.rejects(
        withTestSession(graph(), (s) => s.run('LOAD CSV FROM $url AS line RETURN line LIMIT 1', { url })),
        (err: unknown) =>
          (err as { code?: string }).code === 'Neo.ClientError.Statement.ExternalResourceFailed',
        url,
      );
    }
  });

  it('refuses procedures off the allowlist, settings, transactions, administration and other databases', async () => {
    const gate = new AuditQueryGate(graph());
    const before = await graphCounts(graph());
    const refusals: Array<[string, string, RegExp]> = [
      ['CALL dbms.listConfig()', 'cypher.procedureRefused', /dbms\.listConfig/],
      ['CALL db.clearQueryCaches()', 'cypher.procedureRefused', /db\.clearQueryCaches/],
      [
        'call `dbms`.`listConfig`() YIELD name, value RETURN name, value',
        'cypher.procedureRefused',
        /dbms\.listConfig/,
      ],
      ['CALL dbms.queryJmx("*:*")', 'cypher.procedureRefused', /dbms\.queryJmx/],
      ['CALL dbms.listConnections()', 'cypher.procedureRefused', /dbms\.listConnections/],
      ['CALL dbms.components()', 'cypher.procedureRefused', /dbms\.components/],
      ['CALL db.resampleOutdatedIndexes()', 'cypher.procedureRefused', /db\.resampleOutdatedIndexes/],
      [
        'CALL db.labels() YIELD label RETURN label UNION CALL dbms.listConfig() YIELD name AS label RETURN label',
        'cypher.procedureRefused',
        /dbms\.listConfig/,
      ],
      [
        'RETURN COUNT { CALL dbms.listConfig() YIELD name RETURN name } AS n',
        'cypher.procedureRefused',
        /dbms\.listConfig/,
      ],
      // nested plan expressions name the call only in their details
      [
        'RETURN [x IN [1] | COLLECT { CALL db.clearQueryCaches() YIELD value RETURN value }] AS c',
        'cypher.procedureRefused',
        /db\.clearQueryCaches/,
      ],
      [
        'USE system CALL dbms.listConfig()',
        'cypher.procedureRefused|cypher.commandRefused',
        /system|dbms\.listConfig/,
      ],
      ['SHOW SETTINGS', 'cypher.commandRefused', /ShowSettings/],
      ['SHOW TRANSACTIONS', 'cypher.commandRefused', /ShowTransactions/],
      ["TERMINATE TRANSACTION 'neo4j-transaction-1'", 'cypher.commandRefused', /TerminateTransactions/],
      ['SHOW USERS', 'cypher.commandRefused', /administration command/],
      ['SHOW DATABASES', 'cypher.commandRefused', /administration command/],
      [
        'UNWIND [1, 2] AS i CALL (i) { RETURN i AS j } IN TRANSACTIONS OF 1 ROWS RETURN j',
        'cypher.commandRefused',
        /IN TRANSACTIONS/,
      ],
      ['MATCH (n:Sample) DETACH DELETE n', 'cypher.writeRefused', /write/],
      ["MERGE (:Run {id: 'gate-evil'})", 'cypher.writeRefused', /write/],
      ['CREATE INDEX gate_evil IF NOT EXISTS FOR (n:Evil) ON (n.x)', 'cypher.commandRefused', /schema/],
    ];
    for (const [cypher, code, what] of refusals) {
      await assert.rejects(
        gate.run(cypher),
        (err: unknown) =>
          err instanceof UsageError && code.split('|').includes(err.code) && what.test(err.message),
        cypher,
      );
    }
    assert.deepEqual(await graphCounts(graph()), before);

    // The CLI's answer: exit 2, one line naming the procedure, no rows.
    const file = path.join(dir, 'admin.cypher');
    fs.writeFileSync(file, '// settings\nCALL dbms.listConfig() YIELD name, value RETURN name, value\n');
    const cli = await runTraceprop(['cypher', file, '--json']);
    assert.equal(cli.code, 2, cli.stderr);
    assert.match(cli.stderr, /cypher\.procedureRefused.*dbms\.listConfig/);
    assert.equal(cli.stdout, '');
  });

  it('runs the allowlisted procedures, SHOW INDEXES and ordinary reads', async () => {
    const gate = new AuditQueryGate(graph());
    const labels = await gate.run('CALL db.labels() YIELD label RETURN label ORDER BY label');
    assert.ok(labels.rows.some((r) => r.label === 'Sample'));
    for (const cypher of [
      'CALL db.relationshipTypes()',
      'CALL db.propertyKeys()',
      'CALL db.schema.visualization()',
      'CALL db.schema.nodeTypeProperties()',
      'CALL db.schema.relTypeProperties()',
      'SHOW INDEXES YIELD name RETURN name',
      'SHOW CONSTRAINTS YIELD name RETURN name',
      'CALL db.labels() YIELD label WITH label WHERE label STARTS WITH "S" RETURN collect(label) AS l',
      'RETURN point.distance(point({x: 0, y: 0}), point({x: 3, y: 4})) AS d, toUpper("a") AS u',
      'RETURN datetime.fromEpochMillis(0) AS t, duration.between(date("2020-01-01"), date("2020-02-01")) AS d',
      "// a comment that says LOAD CSV\nMATCH (s:Sample {id: 'gate-run:s:0'}) RETURN s.split AS split, 'CALL dbms.listConfig()' AS text",
    ]) {
      await gate.run(cypher);
    }
    const read = await gate.run('MATCH (s:Sample {id: $id})-[:OUTPUT_OF]->(r:Run) RETURN r.id AS run', {
      id: 'gate-run:s:0',
    });
    assert.deepEqual(read.rows, [{ run: 'gate-run' }]);
    // A repeated query reuses the verdict: no second EXPLAIN.
    assert.equal(read.check.cached, false);
    const again = await gate.run('MATCH (s:Sample {id: $id})-[:OUTPUT_OF]->(r:Run) RETURN r.id AS run', {
      id: 'other',
    });
    assert.equal(again.check.cached, true);
    assert.deepEqual(again.rows, []);
  });

  it('passes every query in cypher/queries', async () => {
    const gate = new AuditQueryGate(graph());
    const files = listCypherFiles('queries');
    assert.ok(files.length >= 10);
    for (const file of files) {
      const { check } = await gate.run(file.text, dummyParams(file.text));
      assert.equal(check.cached, false, file.name);
    }
  });

  it('the allowlists are right for this Neo4j: procedures read-only, functions built in', async () => {
    const { procedures, functions } = await withTestSession(graph(), async (s) => {
      const p = await s.run('SHOW PROCEDURES YIELD name, mode, admin RETURN name, mode, admin');
      const f = await s.run(
        'SHOW FUNCTIONS YIELD name, isBuiltIn WHERE name CONTAINS "." RETURN name, isBuiltIn',
      );
      return {
        procedures: p.records.map((r) => r.toObject()),
        functions: f.records.map((r) => r.toObject()),
      };
    });
    for (const name of auditProcedureAllowlist) {
      const found = procedures.find((p) => p.name === name);
      assert.ok(found, `${name} exists`);
      assert.deepEqual([found.mode, found.admin], ['READ', false], name);
    }
    assert.deepEqual(
      functions
        .filter((f) => f.isBuiltIn)
        .map((f) => String(f.name).toLowerCase())
        .sort(),
      auditBuiltInFunctions.map((f) => f.toLowerCase()).sort(),
    );
  });

  it('refuses namespaced functions that are not built in, before Neo4j runs anything', async () => {
    const gate = new AuditQueryGate(graph());
    // No plugin is installed here, so Neo4j itself answers first: an unknown function (exit 2).
    await assert.rejects(
      gate.run('RETURN apoc.text.join(["a"], ",") AS s'),
      (err: unknown) =>
        hasCode(err, 'cypher.syntax') && /Unknown function 'apoc\.text\.join'/.test((err as Error).message),
    );
    // The text check refuses what is not a built-in even where Neo4j would know it.
    const refusal = refusalOfText(
      'MATCH (n) RETURN `apoc`.text.join([n.id], ",") AS s, point.distance($a, $b) AS d',
    );
    assert.ok(
      refusal && refusal.code === 'cypher.functionRefused' && /apoc\.text\.join/.test(refusal.message),
    );
    assert.equal(
      refusalOfText('RETURN datetime.FROMEPOCHMILLIS(0) AS t, n.call AS c, $load AS csv'),
      undefined,
    );
    assert.equal(
      refusalOfText("RETURN 'LOAD CSV' AS a // LOAD CSV\n/* CALL dbms.listConfig() */"),
      undefined,
    );
    assert.equal(refusalOfText('lOaD/**/CsV FROM $u AS l RETURN l')?.code, 'cypher.loadCsvRefused');
    assert.equal(refusalOfText('CALL\n  `db` . `clearQueryCaches` ()')?.code, 'cypher.procedureRefused');
    assert.equal(refusalOfText('OPTIONAL CALL db.labels() YIELD label RETURN label'), undefined);
  });
});

describe('graph: Neo4j client errors are usage errors, not "Neo4j is not reachable"', function () {
  this.timeout(120_000);
  const graph = useCleanGraph();

  it('an unknown procedure, a syntax error and a type error map to UsageError (exit 2) with Neo4j’s message', async () => {
    const cases: Array<[string, string, RegExp]> = [
      [
        'CALL no.such.procedure()',
        'cypher.unknownProcedure',
        /no procedure with the name `no\.such\.procedure`/,
      ],
      ['CALL apoc.help("x")', 'cypher.unknownProcedure', /apoc\.help/],
      ['RETURN 1 +', 'cypher.syntax', /Invalid input/],
      ['RETURN $p AS p', 'cypher.missingParameter', /Expected parameter\(s\): p/],
      ['UNWIND [1, "a"] AS x RETURN x - 1 AS y', 'cypher.failed', /Neo\.ClientError\.Statement\.TypeError/],
      ['UNWIND [0] AS z RETURN 1 / z AS x', 'cypher.failed', /Neo\.ClientError\.Statement\.ArithmeticError/],
      ['RETURN undefinedVariable AS x', 'cypher.syntax', /undefinedVariable/],
    ];
    for (const [cypher, code, what] of cases) {
      for (const mode of ['READ', 'WRITE'] as const) {
        await assert.rejects(
          withSession(graph(), (s) => s.run(cypher), mode),
          (err: unknown) =>
            err instanceof UsageError &&
            err.code === code &&
            err.exitCode === ExitCode.usage &&
            what.test(err.message) &&
            !/not reachable/.test(err.message),
          `${mode} ${cypher}`,
        );
      }
    }
  });

  it('only a Neo4j that cannot be reached is graph.unavailable (exit 3)', async () => {
    const down = createGraphClient({
      uri: 'bolt://127.0.0.1:1',
      user: 'neo4j',
      password: '',
      database: 'neo4j',
    });
    try {
      await assert.rejects(
        withSession(down, (s) => s.run('RETURN 1')),
        (err: unknown) =>
          err instanceof TracepropError && err.code === 'graph.unavailable' && err.exitCode === 3,
      );
    } finally {
      await down.driver.close();
    }
  });

  it('the CLI exits 2 with Neo4j’s message for an unknown procedure and invalid Cypher', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-client-errors-'));
    try {
      const missing = path.join(dir, 'missing-procedure.cypher');
      fs.writeFileSync(missing, "// a plugin that is not installed\nCALL apoc.help('x')\n");
      const proc = await runTraceprop(['cypher', missing]);
      assert.equal(proc.code, 2, proc.stderr);
      assert.match(proc.stderr, /cypher\.unknownProcedure.*no procedure with the name `apoc\.help`/);
      assert.doesNotMatch(proc.stderr, /not reachable|graph\.unavailable/);
      const invalid = path.join(dir, 'invalid.cypher');
      fs.writeFileSync(invalid, 'MATCH (n RETURN n\n');
      const syntax = await runTraceprop(['cypher', invalid]);
      assert.equal(syntax.code, 2, syntax.stderr);
      // Positions are those of the auditor's text, not of the EXPLAIN the gate sent.
      assert.match(syntax.stderr, /cypher\.syntax.*line 1, column 10 \(offset: 9\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assert.ok(testServices().neo4jUri);
  });
});
