import type { Command } from 'commander';
import { parseAttributionMethod } from '../../attribution/attribution-method.js';
import { UsageError } from '../../errors.js';
import { verifyGraph } from '../../graph/connection.js';
import { tracePrediction } from '../../graph/queries/trace-prediction.js';
import { clientFor } from '../../services/ensure-services.js';
import type { CliContext } from '../context.js';
import { parsePositiveInteger, requireWith } from '../options.js';
import { parseKeyOption } from '../parse-key-option.js';

interface TraceOptions {
  key?: string;
  model?: string;
  top: number;
  method?: string;
  json?: boolean;
}

/**
 * `traceprop trace (PREDICTION_ID | --key COLUMN=VALUE [--model ID])`: why did the model predict
 * this? Top training samples, their source rows, the run's ops and the share per source file,
 * from one read query. `--key` matches the samples' key column (e.g. SK_ID_CURR); when several
 * active models hold the sample, it lists them and asks for `--model`.
 */
export function registerTrace(program: Command, ctx: CliContext): void {
  program
    .command('trace')
    .description(
      'explain a prediction: its most influential training samples, their source rows and ops, the share per source file',
    )
    .argument('[prediction-id]', 'Prediction id (`<modelId>:<sampleId>`)')
    .option(
      '--key <column=value>',
      "the sample's business key instead of an id, e.g. SK_ID_CURR=100042 (the prediction of the active model holding it)",
    )
    .option('--model <id>', 'with --key: the model (needed when several active models hold the key)')
    .option('--top <k>', 'training samples to show', parsePositiveInteger, 10)
    .option('--method <name>', 'attribution method of the edges (default any)')
    .option('--json', 'print one JSON document')
    .action(async (predictionId: string | undefined, options: TraceOptions) => {
      if ((predictionId === undefined) === (options.key === undefined))
        throw new UsageError(
          'trace.badTarget',
          'give either a prediction id or --key COLUMN=VALUE (not both)',
        );
      requireWith(options.model !== undefined, '--model', options.key !== undefined, '--key');
      const key = options.key === undefined ? undefined : parseKeyOption(options.key);
      if (options.method !== undefined) parseAttributionMethod(options.method);
      const client = clientFor(ctx.config, ctx.config.neo4jUri);
      try {
        await verifyGraph(client);
        const trace = await tracePrediction(client, {
          predictionId,
          key: key?.value,
          keyColumn: key?.column,
          modelId: options.model,
          top: options.top,
          method: options.method,
        });
        if (options.json) return ctx.printJson(trace);
        const p = trace.prediction;
        ctx.print(
          `prediction ${p.id}: score ${fmt(p.score)}, label ${p.label ?? '-'} (model ${trace.model.id}${trace.model.status ? `, ${trace.model.status}` : ''}${trace.sample?.key ? `, sample key ${trace.sample.key}` : ''})`,
        );
        if (!trace.influences.length)
          ctx.print(`no attribution yet: run \`traceprop attribute --model ${trace.model.id}\``);
        for (const i of trace.influences) {
          ctx.print(
            `#${i.rank} ${i.sample} (key ${i.key ?? '-'}, label ${i.label ?? '-'}) score ${fmt(i.score)} [${i.method}]`,
          );
          for (const r of i.sourceRows)
            ctx.print(
              `     ${r.file} row ${r.row}${r.key ? ` key ${r.key}` : ''}${r.erased ? ' (erased)' : ''}`,
            );
        }
        if (trace.shares.length)
          ctx.print(
            `share per file: ${trace.shares.map((s) => `${s.file} ${(100 * s.share).toFixed(1)}%`).join(', ')}`,
          );
        if (trace.run.ops.length)
          ctx.print(
            `ops of run ${trace.run.id}: ${trace.run.ops.map((o) => `${o.seq}:${o.kind}(${o.name})`).join(' → ')}`,
          );
      } finally {
        await client.driver.close();
      }
    });
}

function fmt(x: number | null): string {
  return x === null || x === undefined
    ? '-'
    : Math.abs(x) >= 0.01 || x === 0
      ? x.toFixed(4)
      : x.toExponential(3);
}
