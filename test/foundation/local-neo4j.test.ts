import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/util/net.js';
import { runTraceprop } from '../support/cli.js';

describe('traceprop db start|stop|status (local embedded Neo4j)', function () {
  this.timeout(300_000);
  let home: string;
  let env: Record<string, string>;

  before(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-db-'));
    const port = await freePort();
    // No NEO4J_URI: the CLI manages its own local Neo4j under TRACEPROP_HOME on this port.
    env = {
      TRACEPROP_HOME: home,
      TRACEPROP_NEO4J_PORT: String(port),
      NEO4J_URI: '',
      TRACEPROP_NEO4J_HEAP: '512m',
      TRACEPROP_NEO4J_CHECKPOINT_VOLUME: '128m',
    };
  });

  after(async () => {
    await runTraceprop(['db', 'stop'], { env });
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('starts, keeps the data across stop and start, and reports status', async () => {
    const started = await runTraceprop(['db', 'start', '--pagecache', '300m', '--json'], { env });
    assert.equal(started.code, 0, started.stderr);
    const info = JSON.parse(started.stdout);
    // Checkpoints by transaction-log volume (so bulk ingests do not pile up logs), as configured.
    assert.deepEqual(await readSettings(info.uri), {
      'db.checkpoint': 'VOLUME',
      'db.checkpoint.interval.volume': '128.00MiB',
      'db.tx_log.rotation.size': '64.00MiB',
      'server.memory.pagecache.size': '300.00MiB',
    });
    assert.equal(info.built, false, 'the launcher build is cached from the test run start');
    assert.ok(fs.existsSync(path.join(home, 'neo4j', 'neo4j.pid')));

    const status = await runTraceprop(['db', 'status'], { env });
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /answers at bolt:\/\/127.0.0.1:\d+ \(local, pid \d+\)/);

    await writeMarker(info.uri);
    await writeStaleRun(info.uri);
    const stopped = await runTraceprop(['db', 'stop'], { env });
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(stopped.stdout, /stopped; data kept in/);

    const down = await runTraceprop(['db', 'status'], { env });
    assert.equal(down.code, 3);

    const again = await runTraceprop(['db', 'start', '--json'], { env });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(await readMarker(info.uri), 'kept');
    // A Run left running by an ingest that died with the database, lease long expired: failed.
    assert.deepEqual(JSON.parse(again.stdout).recoveredRuns, ['stale-run']);
    assert.match(again.stderr, /recovered run stale-run: its lease expired at/);
    assert.equal(
      await readMarker(info.uri, "MATCH (r:Run {id: 'stale-run'}) RETURN r.status AS v"),
      'failed',
    );
  });

  it('says when it was already running', async () => {
    const result = await runTraceprop(['db', 'start'], { env });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /was already running/);
  });
});

async function readSettings(uri: string): Promise<Record<string, string>> {
  const { default: neo4j } = await import('neo4j-driver');
  const driver = neo4j.driver(uri);
  try {
    const { records } = await driver.executeQuery(
      `SHOW SETTINGS YIELD name, value
       WHERE name IN ['db.checkpoint', 'db.checkpoint.interval.volume', 'db.tx_log.rotation.size', 'server.memory.pagecache.size']
       RETURN name, value ORDER BY name`,
    );
    return Object.fromEntries(records.map((r) => [r.get('name') as string, r.get('value') as string]));
  } finally {
    await driver.close();
  }
}

async function writeMarker(uri: string): Promise<void> {
  const { default: neo4j } = await import('neo4j-driver');
  const driver = neo4j.driver(uri);
  try {
    await driver.executeQuery("MERGE (m:TestMarker {id: 'persist'}) SET m.value = 'kept'");
  } finally {
    await driver.close();
  }
}

async function writeStaleRun(uri: string): Promise<void> {
  const { default: neo4j } = await import('neo4j-driver');
  const driver = neo4j.driver(uri);
  try {
    await driver.executeQuery(
      "CREATE (:Run {id: 'stale-run', status: 'running', leaseUntil: datetime() - duration('PT1H')})",
    );
  } finally {
    await driver.close();
  }
}

async function readMarker(
  uri: string,
  query = "MATCH (m:TestMarker {id: 'persist'}) RETURN m.value AS v",
): Promise<string | undefined> {
  const { default: neo4j } = await import('neo4j-driver');
  const driver = neo4j.driver(uri);
  try {
    const result = await driver.executeQuery(query);
    return result.records[0]?.get('v');
  } finally {
    await driver.close();
  }
}
