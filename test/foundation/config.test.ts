import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { loadConfig, packageRoot } from '../../src/config.js';
import { hasCode, TracepropError, UsageError } from '../../src/errors.js';

describe('config', () => {
  const refuses = (
    env: NodeJS.ProcessEnv,
    code: 'config.badPort' | 'config.badSeconds' | 'config.shortSalt' | 'config.badSize',
    message: RegExp,
  ) =>
    assert.throws(
      () => loadConfig(env),
      (err: unknown) =>
        err instanceof UsageError && hasCode(err, code) && err.exitCode === 2 && message.test(err.message),
    );

  it('refuses a bad TRACEPROP_NEO4J_PORT with a typed usage error that says what to set', () => {
    for (const port of ['abc', '0', '70000', '80.5']) {
      refuses(
        { TRACEPROP_NEO4J_PORT: port },
        'config.badPort',
        new RegExp(`port number \\(1-65535\\), got "${port}": set it to a free port`),
      );
    }
    assert.equal(loadConfig({ TRACEPROP_NEO4J_PORT: '7690' }).localNeo4jPort, 7690);
  });

  it('reads the local Neo4j sizes (heap, page cache, checkpoint volume) and refuses a bad one', () => {
    const config = loadConfig({ TRACEPROP_NEO4J_PAGECACHE: '4G', TRACEPROP_NEO4J_CHECKPOINT_VOLUME: '512m' });
    assert.equal(config.localNeo4jPagecache, '4g');
    assert.equal(config.localNeo4jCheckpointVolume, '512m');
    assert.equal(loadConfig({}).localNeo4jPagecache, '256m');
    for (const [name, value] of [
      ['TRACEPROP_NEO4J_PAGECACHE', '4 GB'],
      ['TRACEPROP_NEO4J_HEAP', '-1g'],
      ['TRACEPROP_NEO4J_CHECKPOINT_VOLUME', '256'],
    ]) {
      refuses(
        { [name]: value },
        'config.badSize',
        new RegExp(`${name} must be a size such as 512m or 4g, got "${value}"`),
      );
    }
  });

  it('refuses a bad lease and a short erasure salt with typed usage errors', () => {
    refuses(
      { TRACEPROP_RUN_LEASE_SECONDS: '0' },
      'config.badSeconds',
      /TRACEPROP_RUN_LEASE_SECONDS must be a number of seconds/,
    );
    refuses({ TRACEPROP_ERASURE_SALT: 'short' }, 'config.shortSalt', /at least 16 characters/);
  });

  it('makes the CLI exit 2 with the code on stderr for a bad port, before any work', () => {
    const cli = spawnSync(
      process.execPath,
      [path.join(packageRoot, 'dist', 'src', 'cli', 'main.js'), '--version'],
      {
        env: { ...process.env, TRACEPROP_NEO4J_PORT: 'seven' },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    assert.equal(cli.status, 2, cli.stderr);
    assert.equal(cli.stdout, '');
    assert.match(cli.stderr, /^error \[config\.badPort\]: TRACEPROP_NEO4J_PORT must be a port number/);
    assert.ok(new UsageError('config.badPort', 'x') instanceof TracepropError);
  });
});
