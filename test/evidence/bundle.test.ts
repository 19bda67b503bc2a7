import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { creditRiskFiles } from '../../src/pipelines/credit-risk-files.js';
import { generateCreditRisk } from '../../src/pipelines/credit-risk-generator.js';
import { expectCliError, ingestCreditRiskArgs, runTraceprop } from '../support/cli.js';
import { useCleanGraph } from '../support/graph.js';
import { cypher } from './support.js';

interface Manifest {
  modelId: string;
  treeHead: string;
  keys: { keyId: string; file: string }[];
  statements: { id: string; kind: string; ref: string; logIndex: number; envelope: string; proof: string }[];
  files: { path: string; sha256: string }[];
}

interface BundleReport {
  verified: boolean;
  modelId: string;
  statements: { kind: string; logIndex: number }[];
  problems: { file: string; check: string; statement?: string; message: string }[];
}

/** A TCP port nothing listens on (bound once, then closed). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** `text` with the character at `at` replaced by another one of the same alphabet. */
function changeChar(text: string, at: number, alphabet = '0123456789abcdef'): string {
  const c = text[at];
  const other = alphabet[(alphabet.indexOf(c) + 1) % alphabet.length] ?? alphabet[0];
  assert.notEqual(other, c);
  return text.slice(0, at) + other + text.slice(at + 1);
}

const base64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

describe('traceprop export evidence / verify bundle: an offline evidence bundle (CLI)', function () {
  this.timeout(300_000);
  const graph = useCleanGraph();
  let dir: string;
  let env: Record<string, string>;
  let ingest: string[];
  let modelId: string;
  let runId: string;
  let keyId: string;
  let bundle: string;
  let manifest: Manifest;
  /** The environment of a CLI with no reachable Neo4j. */
  let offline: Record<string, string>;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-bundle-'));
    env = { TRACEPROP_HOME: path.join(dir, 'home') };
    await generateCreditRisk({ applicants: 120, seed: 31, outDir: path.join(dir, 'data') });
    ingest = ingestCreditRiskArgs(creditRiskFiles(path.join(dir, 'data')), '--json');
    keyId = (await runTraceprop(['keys', 'init', '--json'], { env })).ok().json<{ keyId: string }>().keyId;
    runId = (await runTraceprop(ingest, { env })).ok().json<{ runId: string }>().runId;
    modelId = (await runTraceprop(['train', runId, '--json'], { env }))
      .ok()
      .json<{ modelId: string }>().modelId;
    offline = { ...env, NEO4J_URI: `bolt://127.0.0.1:${await closedPort()}` };
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A copy of the exported bundle to tamper with. */
  const copy = (name: string) => {
    const target = path.join(dir, name);
    fs.cpSync(bundle, target, { recursive: true });
    return target;
  };
  const verifyJson = async (target: string, ...extra: string[]) => {
    const r = await runTraceprop(['verify', 'bundle', target, '--json', ...extra], { env: offline });
    return { run: r, report: r.json<BundleReport>() };
  };
  /** Verifies a tampered bundle offline: exit 1, evidence.bundleInvalid, and the problems. */
  const expectInvalid = async (target: string, ...extra: string[]) => {
    const { run, report } = await verifyJson(target, ...extra);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.errorCode(), 'evidence.bundleInvalid');
    assert.equal(report.verified, false);
    return report.problems;
  };
  const has = (problems: BundleReport['problems'], file: string, check: string) =>
    assert.ok(
      problems.some((p) => p.file === file && p.check === check),
      `expected [${check}] on ${file}, got ${JSON.stringify(problems, null, 1)}`,
    );
  const statementOf = (kind: string) => {
    const s = manifest.statements.find((x) => x.kind === kind);
    assert.ok(s, `the bundle holds a ${kind} statement`);
    return s;
  };

  it('exports the model, run and key statements with proofs, the tree head, the key, a manifest and a README', async () => {
    bundle = path.join(dir, 'bundle');
    const out = (
      await runTraceprop(['export', 'evidence', '--model', modelId, '--out', bundle, '--json'], { env })
    )
      .ok()
      .json<{ treeHead: { size: number; keyId: string }; keyIds: string[] }>();
    manifest = JSON.parse(fs.readFileSync(path.join(bundle, 'manifest.json'), 'utf8'));
    assert.equal(manifest.modelId, modelId);
    assert.deepEqual(manifest.statements.map((s) => s.kind).sort(), ['key', 'model', 'run']);
    assert.equal(statementOf('model').ref, modelId);
    assert.equal(statementOf('run').ref, runId);
    assert.equal(statementOf('key').ref, keyId);
    assert.deepEqual(out.keyIds, [keyId]);
    assert.equal(out.treeHead.keyId, keyId);
    assert.ok(out.treeHead.size >= 3);
    assert.ok(
      fs.readFileSync(path.join(bundle, `keys/${keyId}.pem`), 'utf8').startsWith('-----BEGIN PUBLIC KEY'),
    );
    assert.match(fs.readFileSync(path.join(bundle, 'README.txt'), 'utf8'), /traceprop verify bundle/);
    for (const s of manifest.statements) {
      const proof = JSON.parse(fs.readFileSync(path.join(bundle, s.proof), 'utf8'));
      assert.equal(proof.logIndex, s.logIndex);
      assert.equal(proof.treeSize, out.treeHead.size);
    }
    const listed = manifest.files.map((f) => f.path).sort();
    assert.ok(listed.includes('README.txt') && listed.includes('tree-head.json'));
    assert.equal(listed.length, 2 + manifest.keys.length + 2 * manifest.statements.length);
  });

  it('verifies with no Neo4j reachable: NEO4J_URI on a closed port, or no NEO4J_URI and a closed local port', async () => {
    const port = String(await closedPort());
    for (const e of [offline, { ...env, NEO4J_URI: '', TRACEPROP_NEO4J_PORT: port }]) {
      const r = (await runTraceprop(['verify', 'bundle', bundle, '--key-id', keyId], { env: e })).ok();
      assert.match(r.stdout, /verified offline: .*3 statements/);
      assert.match(r.stdout, /the expected key/);
    }
    const { report } = await verifyJson(bundle);
    assert.equal(report.verified, true);
    assert.deepEqual(report.problems, []);
    assert.equal(report.statements.length, 3);
    // and the graph-side check agrees: the bundle is the log's
    (await runTraceprop(['verify', 'log'], { env })).ok();
  });

  it('one changed byte of a statement envelope: its signature and inclusion fail, named, even with the manifest digest updated', async () => {
    const target = copy('tampered-envelope');
    const s = statementOf('model');
    const file = path.join(target, s.envelope);
    const text = fs.readFileSync(file, 'utf8');
    const at = text.indexOf('"payload":"') + 11 + 40;
    fs.writeFileSync(file, changeChar(text, at, base64));
    const problems = await expectInvalid(target);
    has(problems, s.envelope, 'digest');
    has(problems, s.envelope, 'signature');
    has(problems, s.proof, 'inclusion');
    assert.ok(problems.some((p) => p.statement?.includes(`statement ${s.logIndex} (model ${modelId})`)));
    // a tamperer who also rewrites the manifest is still caught by the signature and the proof
    const m: Manifest = JSON.parse(fs.readFileSync(path.join(target, 'manifest.json'), 'utf8'));
    const entry = m.files.find((f) => f.path === s.envelope);
    assert.ok(entry);
    const { createHash } = await import('node:crypto');
    entry.sha256 = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    const listedStatement = m.statements.find((x) => x.envelope === s.envelope);
    if (listedStatement) listedStatement.id = entry.sha256;
    fs.writeFileSync(path.join(target, 'manifest.json'), JSON.stringify(m));
    const again = await expectInvalid(target);
    assert.ok(!again.some((p) => p.check === 'digest'), JSON.stringify(again));
    has(again, s.envelope, 'signature');
    has(again, s.proof, 'inclusion');
    // the text output names the file, the check and the statement too
    const text1 = await runTraceprop(['verify', 'bundle', target], { env: offline });
    expectCliError(
      text1,
      'evidence.bundleInvalid',
      new RegExp(`${s.envelope} \\[signature\\] statement ${s.logIndex}`),
      1,
    );
  });

  it('one changed byte of the tree head: its signature fails, named', async () => {
    const target = copy('tampered-head');
    const file = path.join(target, 'tree-head.json');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, changeChar(text, text.indexOf('"rootHash": "') + 13 + 10));
    const problems = await expectInvalid(target);
    has(problems, 'tree-head.json', 'digest');
    has(problems, 'tree-head.json', 'tree head signature');
  });

  it('one changed byte of an inclusion proof: the inclusion check of that statement fails, named', async () => {
    const target = copy('tampered-proof');
    const s = statementOf('run');
    const file = path.join(target, s.proof);
    const text = fs.readFileSync(file, 'utf8');
    const proof = JSON.parse(text) as { auditPath: string[] };
    assert.ok(proof.auditPath.length > 0, 'the run statement has a non-empty audit path');
    fs.writeFileSync(file, changeChar(text, text.indexOf(proof.auditPath[0]) + 5));
    const problems = await expectInvalid(target);
    has(problems, s.proof, 'digest');
    has(problems, s.proof, 'inclusion');
    assert.deepEqual(
      problems.filter((p) => p.check === 'inclusion').map((p) => p.file),
      [s.proof],
      'only the changed proof fails inclusion',
    );
  });

  it('one changed byte of the public key: the key id check fails, and nothing it signed verifies', async () => {
    const target = copy('tampered-key');
    const file = path.join(target, `keys/${keyId}.pem`);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines[1] = changeChar(lines[1], 30, base64);
    fs.writeFileSync(file, lines.join('\n'));
    const problems = await expectInvalid(target);
    has(problems, `keys/${keyId}.pem`, 'digest');
    assert.ok(
      problems.some((p) => p.file === `keys/${keyId}.pem` && /^(key id|public key)$/.test(p.check)),
      JSON.stringify(problems),
    );
    has(problems, statementOf('model').envelope, 'unknown key');
    has(problems, 'tree-head.json', 'unknown key');
  });

  it('--key-id another key: the tree head is not signed by the expected key', async () => {
    const problems = await expectInvalid(bundle, '--key-id', 'f'.repeat(64));
    has(problems, 'tree-head.json', 'expected key');
    has(problems, 'manifest.json', 'expected key');
  });

  it('refuses a non-empty directory without --force; --force replaces the bundle files and leaves others alone', async () => {
    const target = copy('forced');
    fs.writeFileSync(path.join(target, 'statements', '999999-run.dsse.json'), '{}');
    fs.writeFileSync(path.join(target, 'auditor-notes.txt'), 'mine');
    const refused = await runTraceprop(['export', 'evidence', '--model', modelId, '--out', target], { env });
    expectCliError(
      refused,
      'evidence.bundleExists',
      new RegExp(`${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not empty.*--force`),
      2,
    );
    assert.ok(fs.existsSync(path.join(target, 'statements', '999999-run.dsse.json')), 'nothing was touched');
    await expectInvalid(target).then((p) => has(p, 'statements/999999-run.dsse.json', 'unlisted'));
    (
      await runTraceprop(['export', 'evidence', '--model', modelId, '--out', target, '--force'], { env })
    ).ok();
    assert.ok(
      !fs.existsSync(path.join(target, 'statements', '999999-run.dsse.json')),
      'the old bundle files are gone',
    );
    assert.equal(fs.readFileSync(path.join(target, 'auditor-notes.txt'), 'utf8'), 'mine');
    (await runTraceprop(['verify', 'bundle', target, '--key-id', keyId], { env: offline })).ok();
  });

  it('an unknown model is named; a model trained without a signing key says how to sign', async () => {
    const unknown = await runTraceprop(
      ['export', 'evidence', '--model', 'no-such-model', '--out', path.join(dir, 'none')],
      { env },
    );
    expectCliError(unknown, 'evidence.unknownModel', /no model no-such-model in the graph/, 1);
    assert.ok(!fs.existsSync(path.join(dir, 'none')), 'nothing is written');
    const keyless = { TRACEPROP_HOME: path.join(dir, 'keyless-home') };
    const run = (await runTraceprop(ingest, { env: keyless })).ok().json<{ runId: string }>().runId;
    const model = (await runTraceprop(['train', run, '--json'], { env: keyless }))
      .ok()
      .json<{ modelId: string }>().modelId;
    const unsigned = await runTraceprop(
      ['export', 'evidence', '--model', model, '--out', path.join(dir, 'unsigned')],
      { env: keyless },
    );
    expectCliError(
      unsigned,
      'evidence.noStatements',
      new RegExp(`model ${model} has no signed statement.*keys init`),
      1,
    );
  });

  it('refuses to export from a log whose entry was changed in the graph (the bundle would not verify)', async () => {
    const s = statementOf('model');
    const get = await cypher(
      graph(),
      'MATCH (e:LogEntry)<-[:LOGGED_AS]-(:Statement {id: $id}) RETURN e.envelope AS e',
      {
        id: s.id,
      },
    );
    const original: string = get.records[0].get('e');
    const set = (x: string) =>
      cypher(graph(), 'MATCH (e:LogEntry)<-[:LOGGED_AS]-(:Statement {id: $id}) SET e.envelope = $x', {
        id: s.id,
        x,
      });
    await set(original.replace('"sig":"', '"sig":"AB'));
    try {
      const r = await runTraceprop(
        ['export', 'evidence', '--model', modelId, '--out', path.join(dir, 'from-changed-log')],
        {
          env,
        },
      );
      expectCliError(
        r,
        'evidence.notIncluded',
        new RegExp(`statement ${s.id} \\(log index ${s.logIndex}\\) is not included`),
        1,
      );
    } finally {
      await set(original);
    }
    (
      await runTraceprop(
        ['export', 'evidence', '--model', modelId, '--out', path.join(dir, 'from-restored-log')],
        { env },
      )
    ).ok();
  });

  it('a directory that is not a bundle fails with the manifest named', async () => {
    const empty = fs.mkdtempSync(path.join(dir, 'empty-'));
    const problems = await expectInvalid(empty);
    has(problems, 'manifest.json', 'manifest');
  });

  it('after keys rotate: the bundle holds both keys and both key statements; it verifies with the new key id', async () => {
    const rotated = (await runTraceprop(['keys', 'rotate', '--json'], { env }))
      .ok()
      .json<{ keyId: string }>();
    const target = path.join(dir, 'rotated');
    (await runTraceprop(['export', 'evidence', '--model', modelId, '--out', target], { env })).ok();
    const m: Manifest = JSON.parse(fs.readFileSync(path.join(target, 'manifest.json'), 'utf8'));
    assert.deepEqual(m.keys.map((k) => k.keyId).sort(), [keyId, rotated.keyId].sort());
    assert.equal(m.statements.filter((x) => x.kind === 'key').length, 2);
    (await runTraceprop(['verify', 'bundle', target, '--key-id', rotated.keyId], { env: offline })).ok();
    const old = await expectInvalid(target, '--key-id', keyId);
    assert.deepEqual(
      old.map((p) => [p.file, p.check]),
      [['tree-head.json', 'expected key']],
    );
  });
});
