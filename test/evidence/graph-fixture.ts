import assert from 'node:assert/strict';
import path from 'node:path';
import type { GraphMismatch } from '../../src/evidence/graph-mismatch.js';
import type { GraphVerification } from '../../src/evidence/verify-graph.js';
import { creditRiskFiles } from '../../src/pipelines/credit-risk-files.js';
import { generateCreditRisk } from '../../src/pipelines/credit-risk-generator.js';
import { ingestCreditRiskArgs, runTraceprop } from '../support/cli.js';

/** What `traceprop verify graph --json` prints. */
export type GraphReport = GraphVerification & { verified: boolean };

/** A signed deployment under `dir`: `keys init`, then generated credit-risk data ingested and trained. */
export async function signedTrainedModel(
  dir: string,
  seed: number,
): Promise<{ env: Record<string, string>; home: string; runId: string; modelId: string }> {
  const home = path.join(dir, 'home');
  const env = { TRACEPROP_HOME: home };
  const data = path.join(dir, 'data');
  await generateCreditRisk({ applicants: 120, seed, outDir: data });
  (await runTraceprop(['keys', 'init', '--json'], { env })).ok();
  const runId = (await runTraceprop(ingestCreditRiskArgs(creditRiskFiles(data), '--json'), { env }))
    .ok()
    .json<{ runId: string }>().runId;
  const modelId = (await runTraceprop(['train', runId, '--json'], { env }))
    .ok()
    .json<{ modelId: string }>().modelId;
  return { env, home, runId, modelId };
}

/** `traceprop verify graph --json` in `env`. */
export function verifyGraphCli(env: Record<string, string>) {
  return runTraceprop(['verify', 'graph', '--json'], { env });
}

/** The mismatch a tamper case expects: its statement kind, ref and fact. */
export interface MismatchExpectation {
  kind: string;
  ref: () => string;
  fact: RegExp;
}

/**
 * Runs `verify graph` with one fact changed: it must fail (`evidence.graphMismatch`) naming the
 * expected mismatch, on stderr too, among exactly `count` mismatches; then restores the fact and
 * checks the graph verifies again. Returns the mismatch.
 */
export async function expectMismatchNamed(
  env: Record<string, string>,
  change: () => Promise<unknown>,
  restore: () => Promise<unknown>,
  expected: MismatchExpectation,
  count = 1,
): Promise<GraphMismatch> {
  await change();
  let found: GraphMismatch | undefined;
  try {
    const r = await verifyGraphCli(env);
    assert.equal(r.code, 1, `verify graph should fail: ${r.stdout}${r.stderr}`);
    assert.equal(r.errorCode(), 'evidence.graphMismatch');
    const report = JSON.parse(r.stdout) as GraphReport;
    assert.equal(report.verified, false);
    found = report.mismatches.find(
      (m) => m.kind === expected.kind && m.ref === expected.ref() && expected.fact.test(m.fact),
    );
    assert.ok(found, `no mismatch named ${expected.fact} in ${JSON.stringify(report.mismatches)}`);
    assert.equal(report.mismatches.length, count, JSON.stringify(report.mismatches));
    assert.match(r.stderr, new RegExp(expected.fact.source.replace(/^\^|\$$/g, '')));
  } finally {
    await restore();
  }
  assert.equal((await verifyGraphCli(env)).ok().json<GraphReport>().verified, true);
  return found;
}
