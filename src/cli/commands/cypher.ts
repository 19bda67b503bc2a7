import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { NotFoundError, UsageError } from '../../errors.js';
import { type CypherFile, cypherFile, listCypherFiles, readCypherFile } from '../../graph/cypher-library.js';
import { parseCypherParams } from '../../graph/cypher-params.js';
import { runReadQuery } from '../../graph/read-query.js';
import { clientFor } from '../../services/ensure-services.js';
import type { CliContext } from '../context.js';

/**
 * `traceprop cypher FILE --param name=value … [--json]`: runs one Cypher file — a name from
 * cypher/queries (`sources-of-sample`) or a path — in a READ transaction. Parameters are passed
 * as parameters, never spliced into the text: `name=value` is a string; `name:int=5`,
 * `name:float=0.5`, `name:bool=true`, `name:json=[…]` give typed values. A query that writes is
 * refused (`cypher.writeRefused`). `traceprop cypher --list` shows the auditors' queries.
 */
export function registerCypher(program: Command, ctx: CliContext): void {
  program
    .command('cypher')
    .description('run a read-only Cypher file (a name from cypher/queries, or a path) with parameters')
    .argument('[file]', 'query name (see --list) or path to a .cypher file')
    .option(
      '--param <name=value>',
      'a parameter (repeatable); name=value passes a string, name:int=5 / name:float=0.5 / name:bool=true / name:json=[…] typed values',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--list', "list the auditors' queries in cypher/queries with what they answer")
    .option('--json', 'print one JSON document')
    .action(
      async (file: string | undefined, options: { param: string[]; list?: boolean; json?: boolean }) => {
        if (options.list) {
          const files = listCypherFiles('queries');
          if (options.json)
            return ctx.printJson(
              files.map((f) => ({ name: f.name, path: f.path, description: f.description })),
            );
          for (const f of files) ctx.print(`${f.name}\n  ${f.description.replaceAll('\n', '\n  ')}\n`);
          return;
        }
        if (!file)
          throw new UsageError(
            'cypher.noFile',
            'name a query (see `traceprop cypher --list`) or a .cypher file',
          );
        const query = resolveCypherFile(file);
        const params = parseCypherParams(options.param);
        const client = clientFor(ctx.config, ctx.config.neo4jUri);
        try {
          const started = performance.now();
          const rows = await runReadQuery(client, query.text, params);
          const ms = performance.now() - started;
          const columns = rows.length ? Object.keys(rows[0]) : [];
          if (options.json)
            return ctx.printJson({ file: query.path, params: Object.keys(params), columns, rows, ms });
          ctx.print(formatTable(columns, rows));
          ctx.status(`${rows.length} rows in ${ms.toFixed(1)} ms`);
        } finally {
          await client.driver.close();
        }
      },
    );
}

/** A path to an existing file, else a name (with or without `.cypher`) in cypher/queries. */
function resolveCypherFile(file: string): CypherFile {
  if (fs.existsSync(file) && fs.statSync(file).isFile()) return readCypherFile(path.resolve(file));
  try {
    return cypherFile('queries', file.replace(/\.cypher$/, ''));
  } catch (err) {
    if (err instanceof NotFoundError) {
      throw new NotFoundError(
        'cypher.unknownFile',
        `${JSON.stringify(file)} is neither a readable file nor a query name: ${err.message}`,
        { cause: err },
      );
    }
    throw err;
  }
}

function formatTable(columns: string[], rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '(no rows)';
  const cell = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  const body = rows.map((r) => columns.map((c) => cell(r[c])));
  const widths = columns.map((c, i) => Math.min(60, Math.max(c.length, ...body.map((b) => b[i].length))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (c.length > widths[i] ? `${c.slice(0, widths[i] - 1)}…` : c.padEnd(widths[i])))
      .join('  ');
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
