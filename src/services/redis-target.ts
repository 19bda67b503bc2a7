import type { RedisOptions } from 'ioredis';
import { UsageError } from '../errors.js';

/** One node of a Redis Cluster as REDIS_URL lists it. */
interface RedisNode {
  host: string;
  port: number;
}

/** A single Redis server (or a proxy in front of one): `redis://` or `rediss://` (TLS). */
interface StandaloneRedisTarget {
  kind: 'standalone';
  /** The URL as given, for ioredis (it reads host, port, user, password, db and TLS from it). */
  url: string;
  /** The URL with its password masked, for messages and logs. */
  display: string;
}

/**
 * A Redis Cluster: `redis+cluster://` or `rediss+cluster://` (TLS) with one or more seed nodes;
 * the client discovers the other masters and replicas from them.
 */
export interface ClusterRedisTarget {
  kind: 'cluster';
  url: string;
  display: string;
  /** Seed nodes (at least one). */
  nodes: RedisNode[];
  /** True for `rediss+cluster://`: every node connection uses TLS. */
  tls: boolean;
  /** ACL user (Redis 6+), when the URL names one. */
  username?: string;
  /** Never logged: `display` masks it. */
  password?: string;
}

/** Where the queues live, as REDIS_URL gives it (see {@link parseRedisTarget}). */
export type RedisTarget = StandaloneRedisTarget | ClusterRedisTarget;

/** The ioredis options every node connection of a cluster target needs: user, password, TLS. */
export function clusterNodeOptions(target: ClusterRedisTarget): RedisOptions {
  return {
    ...(target.username ? { username: target.username } : {}),
    ...(target.password ? { password: target.password } : {}),
    ...(target.tls ? { tls: {} } : {}),
  };
}

/** The forms REDIS_URL accepts, quoted by every parse error. */
const redisUrlForms =
  'redis://[user:password@]host:port[/db] (rediss:// for TLS) for one Redis, or redis+cluster://[user:password@]host:port,host:port,… (rediss+cluster:// for TLS) for a Redis Cluster';

const defaultPort = 6379;

/**
 * Parses a REDIS_URL into a typed target. `redis://` and `rediss://` name one server;
 * `redis+cluster://` and `rediss+cluster://` name seed nodes of a Redis Cluster, comma-separated
 * (`host:port`, `[ipv6]:port`, port 6379 when omitted), with an optional percent-encoded
 * `user:password@` that applies to every node and no database other than `/0` (a cluster has
 * only database 0). Throws `config.badRedisUrl` naming the expected forms; the password is never
 * part of the message.
 *
 * @example
 * parseRedisTarget('redis+cluster://:s3cret@10.0.0.1:7000,10.0.0.2:7000');
 * // { kind: 'cluster', nodes: [{ host: '10.0.0.1', port: 7000 }, …], tls: false, password: 's3cret', … }
 */
export function parseRedisTarget(url: string, variable = 'REDIS_URL'): RedisTarget {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  const display = redactRedisUrl(url);
  const fail = (reason: string): never => {
    throw new UsageError(
      'config.badRedisUrl',
      `${variable} must be ${redisUrlForms}; got "${display}": ${reason}`,
    );
  };
  if (scheme === 'redis' || scheme === 'rediss') {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return fail('it is not a valid URL');
    }
    if (!parsed.hostname) fail('it names no host');
    if (parsed.pathname.length > 1 && !/^\/\d+$/.test(parsed.pathname))
      fail(`the path "${parsed.pathname}" is not a database number`);
    return { kind: 'standalone', url, display };
  }
  if (scheme !== 'redis+cluster' && scheme !== 'rediss+cluster')
    return fail(scheme ? `unknown scheme "${scheme}://"` : 'it has no scheme such as redis://');

  const rest = url.slice(scheme.length + 3);
  const pathAt = rest.search(/[/?#]/);
  const authority = pathAt < 0 ? rest : rest.slice(0, pathAt);
  const tail = pathAt < 0 ? '' : rest.slice(pathAt);
  if (tail !== '' && tail !== '/' && tail !== '/0')
    fail('a cluster URL takes no path (a Redis Cluster has only database 0) and no query');
  const at = authority.lastIndexOf('@');
  const userinfo = at < 0 ? undefined : authority.slice(0, at);
  const hosts = at < 0 ? authority : authority.slice(at + 1);
  const nodes = hosts.split(',').map((spec) => parseNode(spec, fail));
  const target: ClusterRedisTarget = {
    kind: 'cluster',
    url,
    display,
    nodes,
    tls: scheme === 'rediss+cluster',
  };
  if (userinfo !== undefined) {
    const colon = userinfo.indexOf(':');
    const user = decode(colon < 0 ? '' : userinfo.slice(0, colon), fail);
    const password = decode(colon < 0 ? userinfo : userinfo.slice(colon + 1), fail);
    if (user) target.username = user;
    if (password) target.password = password;
  }
  return target;
}

function parseNode(spec: string, fail: (reason: string) => never): RedisNode {
  const match = /^(?:\[([0-9a-f:.]+)\]|([^:[\]\s]+))(?::(\d+))?$/i.exec(spec.trim());
  if (!match) return fail(`"${spec}" is not host:port`);
  const port = match[3] === undefined ? defaultPort : Number(match[3]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`"${spec}" has no valid port (1-65535)`);
  return { host: match[1] ?? match[2], port };
}

function decode(text: string, fail: (reason: string) => never): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return fail('its user or password is not percent-encoded properly');
  }
}

/**
 * A Redis URL fit for a message: the password (or a bare secret before `@`) is masked as `***`,
 * even when the URL is malformed.
 *
 * @example
 * redactRedisUrl('redis://app:s3cret@cache:6379'); // 'redis://app:***@cache:6379'
 */
export function redactRedisUrl(url: string): string {
  const start = url.indexOf('://');
  const from = start < 0 ? 0 : start + 3;
  const rest = url.slice(from);
  const pathAt = rest.search(/[/?#]/);
  const authority = pathAt < 0 ? rest : rest.slice(0, pathAt);
  const at = authority.lastIndexOf('@');
  if (at < 0) return url;
  const userinfo = authority.slice(0, at);
  const colon = userinfo.indexOf(':');
  const masked = colon < 0 ? '***' : `${userinfo.slice(0, colon)}:***`;
  return `${url.slice(0, from)}${masked}${rest.slice(at)}`;
}
