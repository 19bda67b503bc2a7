import type { Command } from 'commander';
import { explainPipeline, type PipelineExplanation } from '../../pipeline-spec/explain-pipeline.js';
import { loadPipelineSpec } from '../../pipeline-spec/load-pipeline-spec.js';
import { summarizePipeline } from '../../pipeline-spec/summarize-pipeline.js';
import type { CliContext } from '../context.js';

/**
 * `traceprop pipeline validate FILE`: checks a pipeline file (format `traceprop.pipeline/1`)
 * without reading data or touching Neo4j, and prints a short summary (or `--json`). A bad file
 * exits 2 with one error naming the file, line, YAML path and what was expected.
 * `traceprop pipeline explain FILE [--data DIR]`: the same checks, then the step DAG in run
 * order, the source files that would be read (missing ones marked) and each feature's source
 * columns.
 */
export function registerPipeline(program: Command, ctx: CliContext): void {
  const pipeline = program
    .command('pipeline')
    .description('pipeline files (format traceprop.pipeline/1, see docs/pipeline-format.md)');

  pipeline
    .command('validate')
    .description(
      'check a pipeline file: schema, ids, inputs, cycles, columns and expression types (reads no data)',
    )
    .argument('<file>', 'pipeline file (YAML or JSON)')
    .option('--json', 'print one JSON document')
    .action((file: string, options: { json?: boolean }) => {
      const summary = summarizePipeline(loadPipelineSpec(file));
      if (options.json) return ctx.printJson(summary);
      const list = (items: string[]) =>
        items.length > 8 ? `${items.slice(0, 8).join(', ')}, …` : items.join(', ');
      const features = Object.keys(summary.features);
      ctx.print(`${file}: pipeline ${summary.name} (${summary.format}) is valid`);
      ctx.print(`  sources   ${summary.sources.length}: ${list(summary.sources.map((s) => s.name))}`);
      ctx.print(
        `  steps     ${summary.steps.length}: ${list(summary.steps.map((s) => `${s.id} (${s.kind})`))}`,
      );
      ctx.print(
        `  sample    table ${summary.sample.table}, key ${summary.sample.key}, label ${summary.sample.label}`,
      );
      ctx.print(`  features  ${features.length}: ${list(features)}`);
      if (summary.subject)
        ctx.print(
          `  subject   ${summary.subject.name}: ${Object.entries(summary.subject.sources)
            .map(([name, how]) => `${name} ${how}`)
            .join('; ')}`,
        );
    });
  pipeline
    .command('explain')
    .description(
      'show what a pipeline file computes, without reading data or touching Neo4j: the source files it would read (missing ones marked), the steps in run order (kind, inputs, one-line summary) and the source columns of each feature',
    )
    .argument('<file>', 'pipeline file (YAML or JSON)')
    .option('--data <dir>', "folder the source paths are relative to (default: the pipeline file's folder)")
    .option('--json', 'print one JSON document')
    .action((file: string, options: { data?: string; json?: boolean }) => {
      const e = explainPipeline(loadPipelineSpec(file), file, options.data);
      if (options.json) return ctx.printJson(e);
      for (const line of explanationLines(e)) ctx.print(line);
    });
}

/** The text form of `pipeline explain`. */
function explanationLines(e: PipelineExplanation): string[] {
  const pad = (items: string[]) => Math.max(0, ...items.map((s) => s.length));
  const unused = (feeds: boolean) => (feeds ? '' : '  (does not feed the sample)');
  const lines = [
    `pipeline ${e.pipeline} (${e.format})${e.description ? `: ${e.description}` : ''}`,
    `data folder ${e.dataDir}`,
    '',
    'sources (files read):',
  ];
  const sw = pad(e.sources.map((s) => s.name));
  for (const s of e.sources) {
    const key = s.key ? `, key ${s.key}` : '';
    const row = s.rowKey ? `, row number as ${s.rowKey}` : '';
    lines.push(
      `  ${s.name.padEnd(sw)}  ${s.file}  ${s.exists ? 'found' : 'MISSING'} (${s.columns.length} columns${key}${row})${unused(s.feedsSample)}`,
    );
  }
  lines.push('', 'steps (run order):');
  const iw = pad(e.steps.map((s) => s.id));
  const kw = pad(e.steps.map((s) => s.kind));
  const nw = String(e.steps.length).length;
  e.steps.forEach((s, i) => {
    lines.push(
      `  ${String(i + 1).padStart(nw)}. ${s.id.padEnd(iw)}  ${s.kind.padEnd(kw)}  ← ${s.inputs.join(', ')}: ${s.summary}${unused(s.feedsSample)}`,
    );
  });
  lines.push(
    '',
    `sample: rows of ${e.sample.table}, key ${e.sample.key}, label ${e.sample.label} (${e.sample.labelType}), ${e.features.length} features`,
    '',
    'feature lineage (feature ← source columns):',
  );
  const names = e.features.map((f) => (f.onehot ? `${f.name} (one-hot)` : f.name));
  const fw = pad(names);
  e.features.forEach((f, i) => {
    lines.push(`  ${names[i].padEnd(fw)}  ← ${f.sources.join(', ')}`);
  });
  if (e.missingFiles.length > 0)
    lines.push(
      '',
      `${e.missingFiles.length} of ${e.sources.length} source files missing under ${e.dataDir} (pass --data DIR to read them from elsewhere)`,
    );
  return lines;
}
