import fs from 'node:fs';
import path from 'node:path';
import type { QueueConnection } from '../../src/queue/create-queue-connection.js';
import { queueKeyPrefix } from '../../src/queue/queue-key-prefix.js';
import { scanKeys } from '../../src/queue/scan-keys.js';

/**
 * What an erased row left behind, to look for: `texts` (a business key or subject id as JSON
 * text `"123"`, a source row's CSV line) and `bytes` (a dropped sample's feature values as the
 * run matrix stores them, float64 little-endian).
 */
export interface LeakNeedles {
  texts: string[];
  bytes: Buffer[];
}

/** One place that still holds a needle. */
export interface Leak {
  store: string;
  location: string;
  needle: string;
}

/** Every file below `dir` (none when it does not exist). */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** The kind of store a file under TRACEPROP_HOME is, by its folder. */
function storeOfFile(home: string, file: string): string {
  const top = path.relative(home, file).split(path.sep)[0];
  if (top === 'runs') return 'run matrix';
  if (top === 'models') return 'model artifact';
  return `file under home (${top})`;
}

/** Needles found in any file under `home` (read whole: the bench's home is small). */
export function scanFiles(home: string, needles: LeakNeedles): { leaks: Leak[]; files: number } {
  const texts = needles.texts.map((t) => Buffer.from(t));
  const leaks: Leak[] = [];
  const files = filesUnder(home);
  for (const file of files) {
    const content = fs.readFileSync(file);
    const hit = (needle: Buffer, label: string) => {
      if (content.includes(needle))
        leaks.push({ store: storeOfFile(home, file), location: file, needle: label });
    };
    for (let i = 0; i < texts.length; i++) hit(texts[i], needles.texts[i]);
    for (const b of needles.bytes) hit(b, `${b.length / 8} feature values`);
  }
  return { leaks, files: files.length };
}

/** The text of one Redis key, whatever its type (hash fields and values, list, set, zset, stream). */
async function redisText(redis: QueueConnection, key: string): Promise<string> {
  const type = await redis.type(key);
  if (type === 'string') return (await redis.get(key)) ?? '';
  if (type === 'hash') return JSON.stringify(await redis.hgetall(key));
  if (type === 'list') return JSON.stringify(await redis.lrange(key, 0, -1));
  if (type === 'set') return JSON.stringify(await redis.smembers(key));
  if (type === 'zset') return JSON.stringify(await redis.zrange(key, 0, -1));
  if (type === 'stream') return JSON.stringify(await redis.xrange(key, '-', '+'));
  return '';
}

/**
 * Needle texts found in any Redis key of the queues named `<queuePrefix>…` (its name or its
 * content): keys `<key prefix>:<queuePrefix>…`, BullMQ's `bull:` on one server, the hash tag on a
 * cluster (every master is scanned).
 */
export async function scanRedis(
  redis: QueueConnection,
  queuePrefix: string,
  needles: LeakNeedles,
): Promise<{ leaks: Leak[]; keys: number }> {
  const leaks: Leak[] = [];
  let keys = 0;
  const pattern = `${queueKeyPrefix(redis, queuePrefix)}:${queuePrefix}*`;
  for await (const batch of scanKeys(redis, pattern, 500)) {
    for (const key of batch) {
      keys++;
      const text = `${key}\n${await redisText(redis, key)}`;
      // Redis values hold JSON inside JSON: a quoted needle appears with escaped quotes there.
      for (const needle of needles.texts)
        if (text.includes(needle) || text.includes(JSON.stringify(needle).slice(1, -1)))
          leaks.push({ store: 'queue (Redis)', location: key, needle });
    }
  }
  return { leaks, keys };
}
