import { Command } from 'commander';
import { registerAttribute } from './commands/attribute.js';
import { registerCypher } from './commands/cypher.js';
import { registerDb } from './commands/db.js';
import { registerDemo } from './commands/demo.js';
import { registerErasure } from './commands/erasure.js';
import { registerExport } from './commands/export.js';
import { registerGenerate } from './commands/generate.js';
import { registerIngest } from './commands/ingest.js';
import { registerJobs } from './commands/jobs.js';
import { registerKeys } from './commands/keys.js';
import { registerLds } from './commands/lds.js';
import { registerOpenLineage } from './commands/openlineage.js';
import { registerPipeline } from './commands/pipeline.js';
import { registerQuery } from './commands/query.js';
import { registerReport } from './commands/report.js';
import { registerRetention } from './commands/retention.js';
import { registerRuns } from './commands/runs.js';
import { registerServe } from './commands/serve.js';
import { registerToken } from './commands/token.js';
import { registerTrace } from './commands/trace.js';
import { registerTrain } from './commands/train.js';
import { registerUnlearn } from './commands/unlearn.js';
import { registerVerify } from './commands/verify.js';
import { registerWorker } from './commands/worker.js';
import type { CliContext } from './context.js';

/** The package version, shown by `traceprop --version`. */
const version = '0.1.0';

/** Builds the `traceprop` command tree. Commands read `ctx` only when they run. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('traceprop')
    .description('Row-level lineage in Neo4j, data attribution and certified unlearning for ML pipelines')
    .version(version)
    .option('--verbose', 'debug logs and stack traces on errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  registerDb(program, ctx);
  registerDemo(program, ctx, version);
  registerGenerate(program, ctx);
  registerIngest(program, ctx);
  registerPipeline(program, ctx);
  registerRuns(program, ctx);
  registerQuery(program, ctx);
  registerCypher(program, ctx);
  registerLds(program, ctx);
  registerTrain(program, ctx);
  registerAttribute(program, ctx);
  registerTrace(program, ctx);
  registerUnlearn(program, ctx);
  registerErasure(program, ctx);
  registerWorker(program, ctx);
  registerJobs(program, ctx);
  registerServe(program, ctx, version);
  registerToken(program, ctx);
  registerKeys(program, ctx);
  registerVerify(program, ctx);
  registerRetention(program, ctx);
  registerExport(program, ctx);
  registerReport(program, ctx);
  registerOpenLineage(program, ctx);
  for (const command of program.commands) applyExitOverride(command);
  return program;
}

function applyExitOverride(command: Command): void {
  command.exitOverride();
  command.showHelpAfterError('(run with --help for usage)');
  for (const sub of command.commands) applyExitOverride(sub);
}
