import type { Command } from 'commander';
import { resolveErasureSalt } from '../../erasure/erasure-salt.js';
import { shareErasureSalt } from '../../erasure/share-erasure-salt.js';
import type { GraphClient } from '../../graph/connection.js';
import { ancestors } from '../../graph/queries/ancestors.js';
import { descendants } from '../../graph/queries/descendants.js';
import { type ErasureRecord, erasures } from '../../graph/queries/erasures.js';
import { ops } from '../../graph/queries/ops.js';
import { pipelineChanges, runPipeline } from '../../graph/queries/pipelines.js';
import { sources } from '../../graph/queries/sources.js';
import { upstreamJobs } from '../../graph/queries/upstream-jobs.js';
import { clientFor } from '../../services/ensure-services.js';
import { type SubjectReport, subjectReport } from '../../subjects/subject-report.js';
import type { CliContext } from '../context.js';
import { parsePositiveInteger } from '../options.js';

/**
 * `traceprop query sources|ops|ancestors|descendants|pipeline ID [--depth N] [--json]`,
 * `traceprop query subject ID [--run RUN] [--json]` (a data subject's rows: a subject access request),
 * `traceprop query erasures [--request ID] [--json]` and
 * `traceprop query pipeline-changes [--pipeline NAME] [--json]`: the lineage questions auditors
 * ask most, in read transactions. Unknown ids fail with `graph.notFound`.
 */
export function registerQuery(program: Command, ctx: CliContext): void {
  const query = program.command('query').description('ask the lineage graph (read-only)');
  const withClient = async <T>(work: (client: GraphClient) => Promise<T>): Promise<T> => {
    const client = clientFor(ctx.config, ctx.config.neo4jUri);
    try {
      return await work(client);
    } finally {
      await client.driver.close();
    }
  };

  query
    .command('sources')
    .description(
      'the source rows (file, table, row, key) a sample was derived from, and the ops that touched them',
    )
    .argument('<sampleId>', 'Sample id, e.g. <runId>:s:42')
    .option('--json', 'print one JSON document')
    .action((sampleId: string, options: { json?: boolean }) =>
      withClient(async (client) => {
        const result = await sources(client, sampleId);
        if (options.json) return ctx.printJson(result);
        ctx.print(
          `sample ${result.sampleId} of run ${result.runId} (${result.mode} mode): ${result.rows.length} source rows`,
        );
        if (result.mode === 'op') ctx.print('  (op-mode run: no row-level provenance was recorded)');
        for (const r of result.rows) {
          ctx.print(
            `  ${r.file} row ${r.row}${r.key ? ` key ${r.key}` : ''}${r.erased ? ' [erased]' : ''}  ops ${r.ops.map((o) => `${o.seq}:${o.kind}`).join(' → ')}`,
          );
        }
      }),
    );

  query
    .command('upstream')
    .description(
      'past the CSV files: the upstream jobs (read in by `openlineage import`) that wrote the files a sample was derived from, and the jobs upstream of them',
    )
    .argument('<sampleId>', 'Sample id, e.g. <runId>:s:42')
    .option('--json', 'print one JSON document')
    .action((sampleId: string, options: { json?: boolean }) =>
      withClient(async (client) => {
        const rows = await upstreamJobs(client, sampleId);
        if (options.json) return ctx.printJson({ sampleId, jobs: rows });
        if (rows.length === 0)
          return ctx.print(
            `sample ${sampleId}: no OpenLineage event read in names its source files (see traceprop openlineage import)`,
          );
        for (const r of rows) {
          ctx.print(
            `  ${r.file} ← ${'  '.repeat(r.hops - 1)}${r.jobNamespace}/${r.jobName} (hop ${r.hops}) wrote ${r.wroteNamespace} ${r.wroteName}${r.wroteInRun ? ` in run ${r.wroteInRun}` : ''}; read ${r.reads.length ? r.reads.join(', ') : 'nothing recorded'}`,
          );
        }
      }),
    );

  query
    .command('ops')
    .description('the ops of a run (give a Run id or a Sample id) in order, with parameters and inputs')
    .argument('<id>', 'Run id or Sample id')
    .option('--json', 'print one JSON document')
    .action((id: string, options: { json?: boolean }) =>
      withClient(async (client) => {
        const result = await ops(client, id);
        if (options.json) return ctx.printJson(result);
        ctx.print(
          `run ${result.runId} (${result.pipeline}, ${result.mode} mode, ${result.status}): ${result.ops.length} ops`,
        );
        for (const op of result.ops) {
          const inputs = op.inputs.length
            ? ` ← ${op.inputs.map((i) => i.slice(i.lastIndexOf(':') + 1)).join(', ')}`
            : '';
          ctx.print(
            `  ${String(op.seq).padStart(3)} ${op.kind.padEnd(9)} ${op.name}${inputs}${op.file ? `  [reads ${op.file}]` : ''}${op.step ? `  [step ${op.step}]` : ''}`,
          );
        }
      }),
    );

  query
    .command('ancestors')
    .description('the ops upstream of an op, up to --depth steps')
    .argument('<opId>', 'Op id, e.g. <runId>:op:7')
    .option('--depth <n>', 'how many AFTER steps to walk (at least 1)', parsePositiveInteger, 100)
    .option('--json', 'print one JSON document')
    .action((opId: string, options: { depth: number; json?: boolean }) =>
      withClient(async (client) => {
        const result = await ancestors(client, opId, options.depth);
        if (options.json) return ctx.printJson(result);
        ctx.print(`${result.ancestors.length} ops upstream of ${opId} within ${result.depth} steps`);
        for (const a of result.ancestors)
          ctx.print(`  depth ${String(a.depth).padStart(3)}  ${a.id}  ${a.kind}  ${a.name}`);
      }),
    );

  query
    .command('descendants')
    .description('what depends on a source row: runs, samples and models (impact of an erasure)')
    .argument('<sourceRowId>', 'SourceRow id, <file sha256>:<row>')
    .option('--json', 'print one JSON document')
    .action((sourceRowId: string, options: { json?: boolean }) =>
      withClient(async (client) => {
        const result = await descendants(client, sourceRowId);
        if (options.json) return ctx.printJson(result);
        const row = result.sourceRow;
        ctx.print(
          `${result.file.name} row ${row.row}${row.key ? ` key ${row.key}` : ''}${row.erased ? ' [erased]' : ''}: ${result.runs.length} dependent runs`,
        );
        for (const run of result.runs) {
          const models = run.models.map((m) => `${m.id} (${m.status})`).join(', ') || 'none';
          const samples =
            run.via === 'row'
              ? `${run.samples.length} samples (${run.samples
                  .map((s) => s.id)
                  .slice(0, 5)
                  .join(', ')}${run.samples.length > 5 ? ', …' : ''})`
              : 'reads the file (op-level lineage only)';
          ctx.print(`  run ${run.id} [${run.status}]: ${samples}; models: ${models}`);
        }
      }),
    );

  query
    .command('subject')
    .description(
      'every source row of one data subject (a subject access request): file, table, row, key, and the runs, samples and active models each reaches',
    )
    .argument('<id>', "the subject's id, e.g. a client_id (the pipeline file's `subject:` says what it is)")
    .option('--run <id>', 'only the files this run read (its pipeline must declare a subject)')
    .option('--json', 'print one JSON document')
    .action((id: string, options: { run?: string; json?: boolean }) =>
      withClient(async (client) => {
        await shareErasureSalt(ctx.config);
        const result = await subjectReport(client, id, {
          runId: options.run,
          salt: () => resolveErasureSalt(ctx.config),
        });
        if (options.json) return ctx.printJson(result);
        printSubject(ctx, result);
      }),
    );

  query
    .command('pipeline')
    .description(
      'the declared pipeline a run executed: name, sha256, the runs that share it, its ops per step, its canonical text',
    )
    .argument('<runId>', 'Run id')
    .option('--json', 'print one JSON document')
    .action((runId: string, options: { json?: boolean }) =>
      withClient(async (client) => {
        const result = await runPipeline(client, runId);
        if (options.json) return ctx.printJson(result);
        if (!result)
          return ctx.print(`run ${runId} records no declared pipeline (a built-in pipeline's run)`);
        ctx.print(
          `run ${result.runId} (${result.status}) executed pipeline ${result.pipeline} (${result.format}), sha256 ${result.sha256}; ${result.runs} run${result.runs === 1 ? '' : 's'} used it`,
        );
        for (const s of result.steps) ctx.print(`  step ${s.step}: ${s.ops} op${s.ops === 1 ? '' : 's'}`);
        ctx.print(JSON.stringify(JSON.parse(result.text), null, 2));
      }),
    );

  query
    .command('pipeline-changes')
    .description(
      'the complete runs whose declared pipeline differs from the one the run before them of the same name used',
    )
    .option('--pipeline <name>', 'only this pipeline name')
    .option('--json', 'print one JSON document')
    .action((options: { pipeline?: string; json?: boolean }) =>
      withClient(async (client) => {
        const changes = await pipelineChanges(client, options.pipeline ?? null);
        if (options.json) return ctx.printJson(changes);
        ctx.print(`${changes.length} run${changes.length === 1 ? '' : 's'} used a changed pipeline`);
        for (const c of changes)
          ctx.print(
            `  ${c.startedAt}  run ${c.runId}  ${c.pipeline}  ${c.sha256.slice(0, 12)}… (was ${c.previousSha256.slice(0, 12)}… in run ${c.previousRunId})`,
          );
      }),
    );

  query
    .command('erasures')
    .description(
      'every completed erasure, the source rows it erased, and the active models that still hold any of them (until unlearned)',
    )
    .option('--request <id>', 'only this UnlearningRequest')
    .option('--json', 'print one JSON document')
    .action((options: { request?: string; json?: boolean }) =>
      withClient(async (client) => {
        const result = await erasures(client, options.request ?? null);
        if (options.json) return ctx.printJson(result);
        const held = result.holdingModelIds.length;
        ctx.print(
          `${result.requests.length} erasure request${result.requests.length === 1 ? '' : 's'}; ${held === 0 ? 'no active model holds erased rows' : `${held} active model${held === 1 ? '' : 's'} still hold${held === 1 ? 's' : ''} erased rows: ${result.holdingModelIds.join(', ')}`}`,
        );
        for (const r of result.requests) printErasure(ctx, r);
      }),
    );
}

function printSubject(ctx: CliContext, r: SubjectReport): void {
  const names = [...new Set(r.rows.map((row) => row.subjectName))].join(', ');
  const erased = r.rows.filter((row) => row.erased).length;
  ctx.print(
    `data subject ${r.subject} (${names}): ${r.rows.length} source row${r.rows.length === 1 ? '' : 's'}${erased ? `, ${erased} erased` : ''}${r.run ? ` read by run ${r.run.id}` : ''}`,
  );
  for (const row of r.rows) {
    ctx.print(
      `  ${row.file} (${row.table}) row ${row.row}${row.key ? ` key ${row.key}` : ''}${row.erased ? ` [erased by ${row.erasedBy}]` : ''}  ${row.id}`,
    );
    for (const run of row.runs) {
      const samples =
        run.via === 'row'
          ? `${run.samples.length} sample${run.samples.length === 1 ? '' : 's'} (${run.samples
              .slice(0, 5)
              .map((s) => s.key ?? s.id)
              .join(', ')}${run.samples.length > 5 ? ', …' : ''})`
          : 'reads the file (op-level lineage only)';
      const models = run.models.map((m) => `${m.id} (version ${m.version})`).join(', ') || 'none';
      ctx.print(`    run ${run.id} (${run.pipeline}, ${run.status}): ${samples}; active models: ${models}`);
    }
  }
}

function printErasure(ctx: CliContext, r: ErasureRecord): void {
  const byFile = new Map<string, { file: string; fileId: string; rows: number[] }>();
  for (const row of r.rows) {
    const entry = byFile.get(row.fileId) ?? { file: row.file, fileId: row.fileId, rows: [] };
    entry.rows.push(row.row);
    byFile.set(row.fileId, entry);
  }
  const files = [...byFile.values()]
    .map((f) => `${f.file} (${f.fileId.slice(0, 12)}…) rows ${shortList(f.rows)}`)
    .join('; ');
  ctx.print(`  ${r.requestId} (${r.mode}, ${r.completedAt}): ${r.rows.length} rows — ${files}`);
  for (const m of r.holdingModels) {
    const how =
      m.via === 'row'
        ? `${m.rows} of its rows via ${m.samples} training sample${m.samples === 1 ? '' : 's'}`
        : `reads the file of ${m.rows} of its rows (op-mode run, no row provenance)`;
    ctx.print(`    still held by model ${m.modelId} (version ${m.version}, run ${m.runId}): ${how}`);
    if (m.via === 'row') {
      for (const f of byFile.values())
        ctx.print(
          `      unlearn it: traceprop unlearn --model ${m.modelId} --file ${f.fileId} --rows ${rowSpec(f.rows)}`,
        );
    }
  }
}

/** Rows as a `--rows` spec: `3,17,40-45`. */
function rowSpec(rows: number[]): string {
  const sorted = [...new Set(rows)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j > i ? `${sorted[i]}-${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  return parts.join(',');
}

function shortList(rows: number[]): string {
  const shown = rows.slice(0, 8).join(', ');
  return rows.length > 8 ? `${shown}, … (${rows.length})` : shown;
}
