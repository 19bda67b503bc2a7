import type { Command } from 'commander';
import { defaultLambda, trainRunModel } from '../../models/train-run-model.js';
import { clientFor } from '../../services/ensure-services.js';
import type { CliContext } from '../context.js';
import { parseNumber } from '../options.js';

/** `traceprop train RUN_ID [--lambda L] [--json]`: fit a logistic model on an ingested run. */
export function registerTrain(program: Command, ctx: CliContext): void {
  program
    .command('train')
    .description(
      "fit an L2 logistic regression on an ingested run's train split; writes the Model and test Predictions",
    )
    .argument('<runId>', 'the ingest run whose saved model matrix to train on')
    .option('--lambda <lambda>', `L2 strength on the mean loss (default ${defaultLambda})`, parseNumber)
    .option('--json', 'print one JSON document')
    .action(async (runId: string, options: { lambda?: number; json?: boolean }) => {
      const client = clientFor(ctx.config, ctx.config.neo4jUri);
      try {
        const model = await trainRunModel({ client, home: ctx.config.home, runId, lambda: options.lambda });
        if (options.json) {
          ctx.printJson(model);
        } else {
          const m = model.metrics;
          ctx.print(
            `model ${model.modelId} (version ${model.version}, λ = ${model.lambda}) trained on run ${runId}`,
          );
          ctx.print(
            `train: ${m.trainRows} rows, accuracy ${(100 * m.trainAccuracy).toFixed(2)}%, loss ${m.trainLoss.toFixed(4)}`,
          );
          ctx.print(
            `test:  ${m.testRows} rows, accuracy ${(100 * m.testAccuracy).toFixed(2)}%, loss ${m.testLoss.toFixed(4)}`,
          );
          ctx.print(`${model.predictions} predictions written; parameters in ${model.artifactPath}`);
        }
      } finally {
        await client.driver.close();
      }
    });
}
