import fs from 'node:fs';
import path from 'node:path';
import type { RunEvent } from './run-event.js';

/**
 * The spool of events an HTTP transport could not deliver (one JSON line each): kept across
 * processes and sent again, oldest first, before the next new event. {@link claimSpool} moves
 * the file aside atomically so two processes never send the same spooled event twice; events
 * whose second delivery fails are appended back.
 */
export function appendToSpool(spool: string, events: readonly RunEvent[]): void {
  if (events.length === 0) return;
  fs.mkdirSync(path.dirname(spool), { recursive: true });
  fs.appendFileSync(spool, events.map((e) => `${JSON.stringify(e)}\n`).join(''), { mode: 0o600 });
}

/**
 * Takes every spooled event (the spool and any claim a dead process left), removing them from
 * disk; unparsable lines are kept in `<spool>.bad` rather than dropped.
 */
export function claimSpool(spool: string): RunEvent[] {
  const dir = path.dirname(spool);
  const base = path.basename(spool);
  if (!fs.existsSync(dir)) return [];
  const claim = `${spool}.claim-${process.pid}`;
  try {
    fs.renameSync(spool, claim);
  } catch {
    // No spool (or another process took it).
  }
  const claims = fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(`${base}.claim-`))
    .filter((f) => {
      const pid = Number(f.slice(`${base}.claim-`.length));
      return pid === process.pid || !alive(pid);
    });
  const events: RunEvent[] = [];
  const bad: string[] = [];
  for (const f of claims) {
    const file = path.join(dir, f);
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        events.push(JSON.parse(line) as RunEvent);
      } catch {
        bad.push(line);
      }
    }
    fs.rmSync(file, { force: true });
  }
  if (bad.length) fs.appendFileSync(`${spool}.bad`, `${bad.join('\n')}\n`, { mode: 0o600 });
  return events;
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
