import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config.js';
import { ensureRedis } from '../../src/services/ensure-services.js';
import { redisAnswers } from '../../src/services/redis-server.js';
import { freePort } from '../../src/util/net.js';

describe('Redis for the demo and the tests', () => {
  it('starts a redis-server on a free port when none answers, and stops it on release', async () => {
    const port = await freePort();
    const config = loadConfig({ REDIS_URL: `redis://127.0.0.1:${port}` });
    const redis = await ensureRedis(config);
    try {
      assert.equal(redis.started, true);
      assert.notEqual(redis.url, config.redisUrl);
      assert.equal(await redisAnswers(redis.url), true);
    } finally {
      await redis.release();
    }
    assert.equal(await redisAnswers(redis.url, 500), false);
  });

  it('uses a Redis that answers without starting another', async () => {
    const config = loadConfig({
      REDIS_URL: (await import('../support/services.js')).testServices().redisUrl,
    });
    const redis = await ensureRedis(config);
    assert.equal(redis.started, false);
    assert.equal(redis.url, config.redisUrl);
    await redis.release();
  });
});
