import assert from 'node:assert/strict';
import { freePort } from '../../src/util/net.js';
import { runTraceprop } from '../support/cli.js';

describe('CLI errors', () => {
  it('rejects an unknown flag with exit code 2 and a usage hint', async () => {
    const result = await runTraceprop(['db', 'status', '--no-such-flag']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown option '--no-such-flag'/);
    assert.equal(result.stdout, '');
  });

  it('rejects an unknown command with exit code 2', async () => {
    const result = await runTraceprop(['frobnicate']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown command 'frobnicate'/);
  });

  it('exits 3 with one clear line when Neo4j is down', async () => {
    const port = await freePort();
    const result = await runTraceprop(['db', 'status'], { env: { NEO4J_URI: `bolt://127.0.0.1:${port}` } });
    assert.equal(result.code, 3);
    assert.match(
      result.stderr,
      new RegExp(`error \\[graph.unavailable\\]: Neo4j is not reachable at bolt://127.0.0.1:${port}`),
    );
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace without --verbose');
    assert.equal(result.stderr.trim().split('\n').length, 1);
  });

  it('prints the stack trace only under --verbose', async () => {
    const port = await freePort();
    const result = await runTraceprop(['--verbose', 'db', 'status'], {
      env: { NEO4J_URI: `bolt://127.0.0.1:${port}` },
    });
    assert.equal(result.code, 3);
    assert.match(result.stderr, /\n\s+at /);
  });

  it('exits 3 when Redis is down and no redis-server can be started', async () => {
    const port = await freePort();
    const result = await runTraceprop(['demo'], {
      env: {
        REDIS_URL: `redis://127.0.0.1:${port}`,
        PATH: '/nonexistent',
      },
    });
    assert.equal(result.code, 3, result.stderr);
    assert.match(
      result.stderr,
      /error \[queue.redisUnavailable\]: Redis is not reachable at redis:\/\/127.0.0.1:\d+/,
    );
  });

  it('db status exits 0 and names the server when Neo4j answers', async () => {
    const result = await runTraceprop(['db', 'status', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const status = JSON.parse(result.stdout);
    assert.equal(status.answers, true);
    assert.match(status.version, /^5\.26\./);
  });
});
