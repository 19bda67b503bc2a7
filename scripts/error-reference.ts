import { type ErrorEntry, ExitCode, errorCatalogue } from '../src/error-catalogue.js';

/** Where the generated error reference lives, relative to the package root. */
export const errorReferencePath = 'docs/errors.md';

/**
 * Renders `docs/errors.md` from the error catalogue (`src/error-catalogue.ts`): the exit codes,
 * then one table per area. A test compares the file with this; `npm run docs:errors` rewrites it.
 */
export function renderErrorReference(): string {
  const entries = Object.entries(errorCatalogue) as [string, ErrorEntry][];
  const areas = [...new Set(entries.map(([code]) => code.split('.')[0]))].sort();
  const lines = [
    '# Errors',
    '',
    '<!-- Generated from src/error-catalogue.ts by `npm run docs:errors`; do not edit by hand. -->',
    '',
    'Every error Traceprop raises is a `TracepropError` (or a subclass) with a namespaced `code`. The',
    'CLI prints `error [code]: message` on stderr and exits with the code below; a queue job fails',
    'at once on an error that is not retriable and is retried (with backoff) on one that is.',
    `The table has ${entries.length} codes; the error constructors accept no other.`,
    '',
    '| Exit code | Meaning |',
    '| --- | --- |',
    `| ${ExitCode.failure} | Failure: the input, the data or the state does not allow the command. |`,
    `| ${ExitCode.usage} | Usage: bad arguments, options or environment; fix the command line. |`,
    `| ${ExitCode.unavailable} | Unavailable: Neo4j or Redis cannot be reached or started; retry once it runs. |`,
    `| ${ExitCode.interrupted} | Interrupted (Ctrl-C). |`,
    '',
    'Notes: *from cause* — the error wraps another and keeps its exit code and retriable flag when',
    'the wrapped error is a Traceprop error; *also usage* — the CLI raises the same code as a usage',
    'error (exit 2) when it checks an argument with it before any work.',
  ];
  for (const area of areas) {
    lines.push(
      '',
      `## ${area}`,
      '',
      '| Code | Class | Exit | Retriable | Meaning |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const [code, e] of entries
      .filter(([c]) => c.split('.')[0] === area)
      .sort(([a], [b]) => a.localeCompare(b))) {
      const notes = [e.fromCause ? 'from cause' : '', e.alsoUsage ? 'also usage (exit 2)' : ''].filter(
        Boolean,
      );
      const exit = notes.length ? `${e.exitCode} (${notes.join('; ')})` : String(e.exitCode);
      lines.push(
        `| \`${code}\` | ${e.class} | ${exit} | ${e.retriable ? 'yes' : 'no'} | ${e.meaning.replace(/\|/g, '\\|')} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
