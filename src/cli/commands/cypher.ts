import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { NotFoundError, UsageError } from '../../errors.js';
import { AuditQueryGate } from '../../graph/audit-query-gate.js';
import { type CypherFile, cypherFile, listCypherFiles, readCypherFile } from '../../graph/cypher-library.js';
import { parseCypherParams } from '../../graph/cypher-params.js';
import { clientFor } from '../../services/ensure-services.js';
import type { CliContext } from '../context.js';

/**
 * `traceprop cypher FILE --param name=value … [--json]`: runs one Cypher file — a name from
 * cypher/queries (`sources-of-sample`) or a path — through the auditors' query gate
 * (src/graph/audit-query-gate.ts): planned with EXPLAIN first, refused when it writes, uses
 * `LOAD CSV`, calls a procedure off the allowlist or runs an administration command, then run in
 * a READ session. Parameters are passed as parameters, never spliced into the text:
 * `name=value` is a string; `name:int=5`, `name:float=0.5`, `name:bool=true`, `name:json=[…]`
 * give typed values. Every refusal and every mistake in the arguments or the query (unknown name,
 * bad or missing parameter, invalid Cypher, unknown procedure) exits 2 before anything runs.
 * `traceprop cypher --list` shows the auditors' queries.
 */
export function registerCypher(program: Command, ctx: CliContext): void {
  program
    .command('cypher')
    .description(
      'run a read-only Cypher file (a name from cypher/queries, or a path) with parameters; refused before it runs: writes, LOAD CSV, procedures off the allowlist, administration commands (see docs/auditor-queries.md)',
    )
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
          const { rows, check, runMs } = await new AuditQueryGate(client).run(query.text, params);
          const columns = rows.length ? Object.keys(rows[0]) : [];
          if (options.json)
            return ctx.printJson({
              file: query.path,
              params: Object.keys(params),
              columns,
              rows,
              ms: runMs,
              checkMs: check.ms,
            });
          ctx.print(formatTable(columns, rows));
          ctx.status(`${rows.length} rows in ${runMs.toFixed(1)} ms (checked in ${check.ms.toFixed(1)} ms)`);
        } finally {
          await client.driver.close();
        }
      },
    );
}

/**
 * A path to an existing file, else a name (with or without `.cypher`) in cypher/queries. A name
 * that is neither is a usage error (`cypher.unknownFile`, exit code 2).
 */
function resolveCypherFile(file: string): CypherFile {
  try {
    if (fs.existsSync(file) && fs.statSync(file).isFile()) return readCypherFile(path.resolve(file));
    return cypherFile('queries', file.replace(/\.cypher$/, ''));
  } catch (err) {
    if (err instanceof NotFoundError) {
      throw new UsageError(
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
