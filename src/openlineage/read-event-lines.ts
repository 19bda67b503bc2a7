import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { InputError } from '../errors.js';
import { type IncomingEvent, incomingEventSchema } from './incoming-event.js';

/** Most problems listed in one `openlineage.badEvent` error. */
const listedProblems = 10;

/**
 * Reads OpenLineage events as JSON lines (blank lines skipped) and validates every one before
 * any is used: a line that is not JSON or not an event fails the whole read, naming the source,
 * the line numbers and what was wrong (so an import writes all or nothing of a bad file).
 *
 * @throws InputError `openlineage.badEvent`.
 * @example
 * const events = await readEventLines(fs.createReadStream('events.jsonl'), 'events.jsonl');
 */
export async function readEventLines(input: Readable, source: string): Promise<IncomingEvent[]> {
  const events: IncomingEvent[] = [];
  const problems: string[] = [];
  let line = 0;
  for await (const text of readline.createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    line++;
    if (text.trim() === '') continue;
    const problem = (what: string) => problems.push(`line ${line}: ${what}`);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      problem(`not JSON (${(err as Error).message})`);
      continue;
    }
    const parsed = incomingEventSchema.safeParse(value);
    if (parsed.success) events.push(parsed.data);
    else
      problem(
        parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.length ? i.path.join('.') : 'event'}: ${i.message}`)
          .join('; '),
      );
  }
  if (problems.length) {
    throw new InputError(
      'openlineage.badEvent',
      `${source}: ${problems.length} of ${line} lines are not OpenLineage events (nothing was imported):\n  ${problems.slice(0, listedProblems).join('\n  ')}${problems.length > listedProblems ? `\n  … and ${problems.length - listedProblems} more` : ''}`,
    );
  }
  return events;
}
