import { startRedisCluster, type TestRedisCluster } from './redis-cluster.js';
import { testServices } from './services.js';

/** The kinds of Redis the queue suites run against. */
export type RedisTargetKind = 'standalone' | 'cluster';

/** The Redis a suite of {@link describeOnRedisTargets} runs against. */
export interface TestRedisTarget {
  kind: RedisTargetKind;
  /** REDIS_URL of the target: this run's Redis, or `redis+cluster://…` of the suite's cluster. */
  url: string;
}

const titles: Record<RedisTargetKind, string> = {
  standalone: 'one Redis',
  cluster: 'Redis Cluster of 3 masters',
};

/**
 * Declares the same suite once per Redis target, titled `<title> [one Redis]` and
 * `<title> [Redis Cluster of 3 masters]`. The cluster suite starts its own 3-master Redis Cluster
 * (`startRedisCluster`) before its tests and stops it after them (after the suite's own `after`
 * hooks); `target()` gives the suite's URL from its hooks and tests on. `body` runs as the
 * describe callback (`this` is the suite).
 */
export function describeOnRedisTargets(
  title: string,
  body: (this: Mocha.Suite, target: () => TestRedisTarget) => void,
  kinds: readonly RedisTargetKind[] = ['standalone', 'cluster'],
): void {
  for (const kind of kinds) {
    describe(`${title} [${titles[kind]}]`, function () {
      let current: TestRedisTarget | undefined;
      let cluster: TestRedisCluster | undefined;
      before(async function () {
        this.timeout(60_000);
        if (kind === 'cluster') {
          cluster = await startRedisCluster(3);
          current = { kind, url: cluster.url };
        } else {
          current = { kind, url: testServices().redisUrl };
        }
      });
      body.call(this, () => {
        if (!current) throw new Error('the Redis target is set in the suite’s before hook');
        return current;
      });
      // Registered after the body's hooks, so the suite's own cleanup still reaches the cluster.
      after(async function () {
        this.timeout(30_000);
        await cluster?.stop();
      });
    });
  }
}
