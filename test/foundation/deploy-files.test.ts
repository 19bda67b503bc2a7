import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { packageRoot } from '../../src/config.js';
import { cypherIpBlocklist } from '../../src/services/local-neo4j.js';

// Docker cannot run on the development machines: these checks keep the deployment files correct.
describe('deployment files (docker/)', () => {
  const compose = parse(fs.readFileSync(path.join(packageRoot, 'docker', 'compose.yaml'), 'utf8'));
  const dockerfile = fs.readFileSync(path.join(packageRoot, 'docker', 'Dockerfile'), 'utf8');

  it('runs Neo4j 5.26 community with auth on and the password from the environment', () => {
    const neo4j = compose.services.neo4j;
    assert.equal(neo4j.image, 'neo4j:5.26-community');
    assert.match(neo4j.environment.NEO4J_AUTH, /^neo4j\/\$\{NEO4J_PASSWORD:\?/);
    assert.ok(
      neo4j.volumes.some((v: string) => v.endsWith(':/data')),
      'data volume',
    );
  });

  it('confines LOAD CSV as the local Neo4j does: import folder only, the same IP block list', () => {
    const env = compose.services.neo4j.environment;
    assert.equal(env.NEO4J_server_directories_import, '/var/lib/neo4j/import');
    assert.ok(
      compose.services.neo4j.volumes.includes('neo4j-import:/var/lib/neo4j/import'),
      'import volume at the import folder',
    );
    assert.equal(env.NEO4J_dbms_security_allow__csv__import__from__file__urls, 'true');
    // Docker maps NEO4J_internal_dbms_cypher__ip__blocklist to internal.dbms.cypher_ip_blocklist.
    assert.deepEqual(env.NEO4J_internal_dbms_cypher__ip__blocklist.split(','), [...cypherIpBlocklist]);
    for (const range of [
      '127.0.0.0/8',
      '10.0.0.0/8',
      '172.16.0.0/12',
      '192.168.0.0/16',
      '169.254.0.0/16',
      '::1/128',
    ]) {
      assert.ok(cypherIpBlocklist.includes(range), range);
    }
    const launcher = fs.readFileSync(
      path.join(packageRoot, 'docker/neo4j-local/src/main/java/io/traceprop/neo4jlocal/Neo4jLocal.java'),
      'utf8',
    );
    const javaDefault = /DEFAULT_IP_BLOCKLIST = ((?:"[^"]*"\s*\+?\s*)+);/.exec(launcher)?.[1] ?? '';
    assert.deepEqual(
      [...javaDefault.matchAll(/"([^"]*)"/g)]
        .map((m) => m[1])
        .join('')
        .split(','),
      [...cypherIpBlocklist],
      'the launcher default equals the list the CLI passes',
    );
  });

  it('runs Redis 7 with append-only persistence and no eviction (BullMQ requires it)', () => {
    const redis = compose.services.redis;
    assert.equal(redis.image, 'redis:7');
    const command = redis.command.join(' ');
    assert.match(command, /--appendonly yes/);
    assert.match(command, /--maxmemory-policy noeviction/);
  });

  it('builds the worker from docker/Dockerfile and wires it to both services by environment', () => {
    const worker = compose.services.worker;
    assert.equal(worker.build.dockerfile, 'docker/Dockerfile');
    assert.equal(worker.environment.NEO4J_URI, 'bolt://neo4j:7687');
    assert.equal(worker.environment.REDIS_URL, 'redis://redis:6379');
    assert.deepEqual(Object.keys(worker.depends_on).sort(), ['neo4j', 'redis']);
    assert.equal(worker.command[0], 'worker');
  });

  it("checks Neo4j's health with variables the container has (compose's $$ leaves them to its shell)", () => {
    const neo4j = compose.services.neo4j;
    const test = neo4j.healthcheck.test.join(' ');
    // `$${NAME…}` reaches the container's shell as `${NAME…}`: NAME must be in its environment.
    const containerVariables = [...test.matchAll(/\$\$\{([A-Z0-9_]+)/g)].map((m) => m[1]);
    assert.ok(containerVariables.length > 0, 'the healthcheck reads the password in the container');
    for (const name of containerVariables)
      assert.ok(name in neo4j.environment, `${name} is not set in the neo4j container`);
  });

  it('never holds a literal password', () => {
    const text = JSON.stringify(compose);
    assert.doesNotMatch(text, /NEO4J_PASSWORD":"(?!\$\{)/);
  });

  it('has a Dockerfile whose entry point is the compiled CLI, run as an unprivileged user', () => {
    assert.match(dockerfile, /^FROM node:20/m);
    assert.match(dockerfile, /^ENTRYPOINT \["node", "dist\/src\/cli\/main\.js"\]/m);
    assert.match(dockerfile, /^USER node/m);
    for (const copied of dockerfile.matchAll(/^COPY (?!--)(\S+)/gm)) {
      assert.ok(
        fs.existsSync(path.join(packageRoot, copied[1])),
        `Dockerfile copies ${copied[1]}, which does not exist`,
      );
    }
  });

  describe('the 3-core Enterprise cluster (docker/compose.cluster.yml)', () => {
    const text = fs.readFileSync(path.join(packageRoot, 'docker', 'compose.cluster.yml'), 'utf8');
    const cluster = parse(text, { merge: true });
    const cores = ['neo4j-core1', 'neo4j-core2', 'neo4j-core3'];

    it('runs three Neo4j 5.26 Enterprise primaries that discover each other', () => {
      const names = Object.keys(cluster.services).filter((name) => name.startsWith('neo4j'));
      assert.deepEqual(names.sort(), cores);
      cores.forEach((name, i) => {
        const core = cluster.services[name];
        const env = core.environment;
        assert.equal(core.image, 'neo4j:5.26-enterprise', name);
        assert.equal(core.hostname, name);
        assert.equal(env.NEO4J_initial_server_mode__constraint, 'PRIMARY');
        assert.equal(env.NEO4J_dbms_cluster_discovery_version, 'V2_ONLY');
        assert.deepEqual(
          env.NEO4J_dbms_cluster_discovery_v2_endpoints.split(','),
          cores.map((c) => `${c}:6000`),
        );
        assert.equal(env.NEO4J_dbms_cluster_minimum__initial__system__primaries__count, '3');
        assert.equal(env.NEO4J_initial_dbms_default__primaries__count, '3');
        const port = 7687 + i;
        assert.equal(env.NEO4J_server_bolt_advertised__address, `${name}:${port}`);
        assert.equal(env.NEO4J_server_bolt_listen__address, `0.0.0.0:${port}`);
        assert.deepEqual(core.ports, [`127.0.0.1:${port}:${port}`]);
        assert.ok(core.volumes.includes(`${name}-data:/data`), `${name} data volume`);
        assert.ok(core.volumes.includes(`${name}-import:/var/lib/neo4j/import`), `${name} import volume`);
        assert.deepEqual(
          env.NEO4J_internal_dbms_cypher__ip__blocklist.split(','),
          [...cypherIpBlocklist],
          `${name} confines LOAD CSV`,
        );
        // The image reads every NEO4J_* variable as a setting and refuses unknown ones.
        for (const key of Object.keys(env).filter((k) => k.startsWith('NEO4J_'))) {
          assert.ok(
            ['NEO4J_AUTH', 'NEO4J_ACCEPT_LICENSE_AGREEMENT'].includes(key) ||
              /^NEO4J_(server|dbms|initial|internal)_/.test(key),
            `${name}: ${key} is not a Neo4j setting`,
          );
        }
      });
    });

    it('leaves the Enterprise license to the user and the password to the environment', () => {
      for (const name of cores) {
        const env = cluster.services[name].environment;
        assert.match(env.NEO4J_ACCEPT_LICENSE_AGREEMENT, /^\$\{NEO4J_ACCEPT_LICENSE_AGREEMENT:\?/);
        assert.match(env.NEO4J_AUTH, /^neo4j\/\$\{NEO4J_PASSWORD:\?/);
      }
      // Never a default (`${…:-yes}`) nor a value anywhere else in the file.
      assert.doesNotMatch(text, /NEO4J_ACCEPT_LICENSE_AGREEMENT:-/);
      assert.doesNotMatch(text, /^\s*-?\s*NEO4J_ACCEPT_LICENSE_AGREEMENT\s*[:=]\s*"?(yes|eval)/im);
      assert.doesNotMatch(JSON.stringify(cluster), /NEO4J_PASSWORD":"(?!\$\{)/);
    });

    it('wires the worker to the cluster through the routing scheme, after every member is healthy', () => {
      const worker = cluster.services.worker;
      assert.equal(worker.build.dockerfile, 'docker/Dockerfile');
      assert.match(worker.environment.NEO4J_URI, /^neo4j:\/\/neo4j-core1:7687$/);
      assert.equal(worker.environment.REDIS_URL, 'redis://redis:6379');
      assert.deepEqual(Object.keys(worker.depends_on).sort(), [...cores, 'redis']);
      for (const name of cores) assert.equal(worker.depends_on[name].condition, 'service_healthy');
      assert.equal(cluster.services.redis.image, 'redis:7');
      assert.match(cluster.services.redis.command.join(' '), /--maxmemory-policy noeviction/);
    });

    it('names every volume it mounts', () => {
      const mounted = Object.values(cluster.services).flatMap((service) =>
        ((service as { volumes?: string[] }).volumes ?? []).map((v) => v.split(':')[0]),
      );
      assert.deepEqual([...new Set(mounted)].sort(), Object.keys(cluster.volumes).sort());
    });
  });
});
