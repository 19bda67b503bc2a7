import type { Command } from 'commander';
import { loadPipelineSpec } from '../../pipeline-spec/load-pipeline-spec.js';
import { summarizePipeline } from '../../pipeline-spec/summarize-pipeline.js';
import type { CliContext } from '../context.js';

/**
 * `traceprop pipeline validate FILE`: checks a pipeline file (format `traceprop.pipeline/1`)
 * without reading data or touching Neo4j, and prints a short summary (or `--json`). A bad file
 * exits 2 with one error naming the file, line, YAML path and what was expected.
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
    });
}
