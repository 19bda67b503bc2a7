import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { childEnvironment } from '../config.js';
import { TracepropError } from '../errors.js';
import type { PredictionTrace } from '../graph/queries/trace-prediction.js';
import type { UnlearningMetrics } from '../unlearning/unlearning-metrics.js';
import { type ProcessResult, runProcess } from '../util/run-process.js';

/** Where the demo's commands run: the services it found or started, and its folders. */
export interface DemoSetting {
  neo4jUri: string;
  redisUrl: string;
  home: string;
  /** The compiled CLI entry point (this process's own). */
  cliPath: string;
  applicants: number;
  print(text: string): void;
  status(text: string): void;
}

/** Runs `traceprop ARGS --json` as a child against the demo's services and parses its output. */
async function runJson<T = Record<string, unknown>>(setting: DemoSetting, args: string[]): Promise<T> {
  setting.print(`\n$ traceprop ${args.join(' ')}`);
  const { code, stdout, stderr } = await runChild(setting, [...args, '--json']);
  if (code !== 0) {
    throw new TracepropError(
      'demo.stepFailed',
      `the demo step \`traceprop ${args.join(' ')}\` failed (exit ${code}):\n${stderr.trim()}`,
    );
  }
  return JSON.parse(stdout) as T;
}

function runChild(setting: DemoSetting, args: string[]): Promise<ProcessResult> {
  return runProcess(process.execPath, [setting.cliPath, ...args], { env: demoEnv(setting) });
}

/**
 * Queue prefix of this demo process: its own, so that demos sharing one Redis (but not one
 * Neo4j) never take each other's jobs.
 */
const demoQueuePrefix = `demo-${randomUUID().slice(0, 8)}`;

function demoEnv(setting: DemoSetting): NodeJS.ProcessEnv {
  return childEnvironment({
    NEO4J_URI: setting.neo4jUri,
    REDIS_URL: setting.redisUrl,
    TRACEPROP_HOME: setting.home,
    TRACEPROP_QUEUE_PREFIX: demoQueuePrefix,
  });
}

/** Starts `traceprop worker` in the background; stop it with SIGTERM. */
function startWorker(setting: DemoSetting): ChildProcess {
  setting.print('\n$ traceprop worker --concurrency 1 &');
  return spawn(process.execPath, [setting.cliPath, 'worker', '--concurrency', '1'], {
    env: demoEnv(setting),
    stdio: 'ignore',
  });
}

async function stopWorker(worker: ChildProcess): Promise<void> {
  if (worker.exitCode !== null) return;
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  worker.kill('SIGTERM');
  await exited;
}

type Trace = PredictionTrace;

/**
 * The whole story, told through the real CLI: generate → ingest (the pipeline file kept in the
 * graph) → train → attribute (queued) → trace an audit answer → the applicant's subject access
 * request → erase their bureau rows →
 * a new model version → the trace shows the erasure.
 */
export async function tellDemoStory(setting: DemoSetting): Promise<void> {
  const data = path.join(setting.home, 'demo-data');
  const generated = await runJson<{ files: { name: string; rows: number }[] }>(setting, [
    'generate',
    'credit-risk',
    '--applicants',
    String(setting.applicants),
    '--seed',
    '7',
    '--out',
    data,
  ]);
  setting.print(`  wrote ${generated.files.map((f) => `${f.name} (${f.rows} rows)`).join(', ')}`);

  const ingest = await runJson<{ runId: string; samples: number; sourceRows: number }>(setting, [
    'ingest',
    'credit-risk',
    '--application',
    path.join(data, 'application.csv'),
    '--bureau',
    path.join(data, 'bureau.csv'),
    '--previous',
    path.join(data, 'previous_application.csv'),
  ]);
  setting.print(
    `  run ${ingest.runId}: ${ingest.samples} samples from ${ingest.sourceRows} source rows, lineage in Neo4j`,
  );

  await printPipeline(setting, ingest.runId);

  const model = await runJson<{ modelId: string; metrics?: Record<string, number> }>(setting, [
    'train',
    ingest.runId,
  ]);
  const m = model.metrics;
  setting.print(
    `  model ${model.modelId} (version 1, active)${m ? `: train accuracy ${percent(m.trainAccuracy)}, test accuracy ${percent(m.testAccuracy)} (${m.trainRows} / ${m.testRows} rows)` : ''}`,
  );

  const worker = startWorker(setting);
  try {
    await runJson(setting, [
      'attribute',
      '--model',
      model.modelId,
      '--samples',
      'test',
      '--top',
      '5',
      '--wait',
    ]);
    setting.print(
      '  INFLUENCED_BY and SOURCE_SHARE written back into the graph (exactly once, guarded by a JobRun)',
    );

    const before = await firstTraceWithInfluences(setting, model.modelId);
    printTrace(setting, before);

    const victim = before.influences.find((i) => i.sourceRows.some((r) => r.table === 'bureau'));
    if (!victim)
      throw new TracepropError('demo.noBureauRows', 'no top training sample has bureau rows to erase');
    await printSubjectAccess(setting, victim.key);
    const bureauRows = victim.sourceRows.filter((r) => r.table === 'bureau');
    const file = bureauRows[0].file;
    setting.print(
      `\nThe applicant ${victim.key} behind the top sample asks to be forgotten: erase their ${bureauRows.length} bureau row(s).`,
    );
    const unlearned = await runJson<Record<string, unknown>>(setting, [
      'unlearn',
      '--model',
      model.modelId,
      '--file',
      file,
      '--rows',
      bureauRows.map((r) => r.row).join(','),
      '--mode',
      'recompute',
      '--verify',
      '--wait',
    ]);
    const newModel = String(unlearned.modelId);
    setting.print(
      `  request ${String(unlearned.requestId)} → new model ${newModel} supersedes ${model.modelId}`,
    );
    const scrubbed = unlearned.scrubbed as { influences: number; shares: number } | undefined;
    if (scrubbed)
      setting.print(
        `  attribution computed with the erased data removed: ${scrubbed.influences} INFLUENCED_BY and ${scrubbed.shares} SOURCE_SHARE edges`,
      );
    const v = unlearned.metrics as UnlearningMetrics | undefined;
    if (v) {
      setting.print(
        `  verified against a retrain from scratch: parameter gap closed ${gapClosed(v.paramGapClosed)}, forget-set loss ${v.forgetLoss.original.toFixed(4)} → ${v.forgetLoss.unlearned.toFixed(4)} (gold ${v.forgetLoss.gold.toFixed(4)}), test accuracy ${percent(v.testAccuracy.unlearned)} (gold ${percent(v.testAccuracy.gold)}), ${v.seconds.unlearned.toFixed(3)} s vs ${v.seconds.gold.toFixed(3)} s retrain`,
      );
    }

    await runJson(setting, ['attribute', '--model', newModel, '--samples', 'test', '--top', '5', '--wait']);
    const after = await runJson<Trace>(setting, [
      'trace',
      before.prediction.id.replace(model.modelId, newModel),
      '--top',
      '5',
    ]).catch(() => firstTraceWithInfluences(setting, newModel));
    printTrace(setting, after);
    const victimSources = await runJson<{ rows: { file: string; row: number; erased: boolean }[] }>(setting, [
      'query',
      'sources',
      victim.sample,
    ]);
    setting.print(
      `  applicant ${victim.key}'s sample now: ${victimSources.rows.map((r) => `${r.file}:${r.row}${r.erased ? ' (erased)' : ''}`).join(', ')}`,
    );
    const erasedShown = after.influences.flatMap((i) => i.sourceRows).filter((r) => r.erased).length;
    setting.print(
      `\nAfter the erasure: model version ${after.model.version} (${after.model.status}); erased rows in the new top samples: ${erasedShown}; the erased rows remain in the graph only as content-free skeletons (erased = true).`,
    );
  } finally {
    await stopWorker(worker);
  }
}

/** The run's declared pipeline as the graph keeps it (`(:Run)-[:USES]->(:Pipeline)`). */
async function printPipeline(setting: DemoSetting, runId: string): Promise<void> {
  const { rows } = await runJson<{ rows: Record<string, unknown>[] }>(setting, [
    'cypher',
    'run-pipeline',
    '--param',
    `runId=${runId}`,
  ]);
  const p = rows[0];
  if (!p) throw new TracepropError('demo.stepFailed', `run ${runId} has no (:Pipeline) in the graph`);
  const steps = (p.steps as { step: string; ops: number }[]).map((s) => s.step);
  setting.print(
    `  the run used pipeline "${String(p.pipeline)}" (${String(p.format)}, sha256 ${String(p.sha256).slice(0, 12)}…), kept in the graph with its text; its steps: ${steps.join(' → ')}`,
  );
}

/** A subject access request: every source row of one applicant, as the pipeline's `subject:` finds them. */
async function printSubjectAccess(setting: DemoSetting, sampleKey: string | null | undefined): Promise<void> {
  const subject = String(sampleKey ?? '').replace(/^.*=/, '');
  if (!subject) return;
  const report = await runJson<{ rows: { file: string; row: number; subjectName: string }[] }>(setting, [
    'query',
    'subject',
    subject,
  ]);
  const perFile = new Map<string, number>();
  for (const r of report.rows) perFile.set(r.file, (perFile.get(r.file) ?? 0) + 1);
  setting.print(
    `  subject access request for applicant ${subject}: ${report.rows.length} source rows (${[...perFile].map(([f, n]) => `${f} ${n}`).join(', ')})`,
  );
}

async function firstTraceWithInfluences(setting: DemoSetting, modelId: string): Promise<Trace> {
  const predictions = await runJson<{ rows: Record<string, unknown>[] }>(setting, [
    'cypher',
    'predictions-of-model',
    '--param',
    `modelId=${modelId}`,
  ]);
  const shown = predictions.rows.slice(0, 3);
  setting.print(
    `  ${predictions.rows.length} predictions of model ${modelId} listed, attributed ones first:${shown.length ? '' : ' none'}`,
  );
  for (const row of shown) {
    setting.print(
      `   ${String(row.predictionId)}: applicant ${String(row.key ?? '?')}, score ${typeof row.score === 'number' ? row.score.toFixed(3) : '-'}, ${String(row.influences ?? 0)} influences`,
    );
  }
  for (const row of predictions.rows) {
    const trace = await runJson<Trace>(setting, ['trace', String(row.predictionId), '--top', '5']);
    if (trace.influences.length) return trace;
  }
  throw new TracepropError('demo.noTrace', `no prediction of model ${modelId} has attribution edges`);
}

/** 0.99999999 as `1 − 1.0e-8` (a percentage would round it to a perfect 100%). */
function gapClosed(g: number): string {
  return g >= 0.9999 ? `1 − ${(1 - g).toExponential(1)}` : `${(100 * g).toFixed(3)}%`;
}

function percent(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

function printTrace(setting: DemoSetting, trace: Trace): void {
  const p = trace.prediction;
  setting.print(
    `  Why did model v${trace.model.version} score applicant ${trace.sample?.key ?? '?'} at ${p.score?.toFixed(3)}?`,
  );
  for (const influence of trace.influences) {
    const rows = influence.sourceRows
      .map((r) => `${r.file}:${r.row}${r.erased ? ' (erased)' : ''}`)
      .join(', ');
    setting.print(
      `   #${influence.rank} applicant ${influence.key ?? '(erased)'} score ${influence.score.toExponential(2)} ← ${rows}`,
    );
  }
  setting.print(
    `  share per source file: ${trace.shares.map((s) => `${s.file} ${(100 * s.share).toFixed(1)}%`).join(', ')}`,
  );
  setting.print(`  through the ops: ${trace.run.ops.map((o) => o.kind).join(' → ')}`);
}
