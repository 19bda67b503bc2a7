import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../src/config.js';
import { runProcess } from '../../src/util/run-process.js';
import { runTraceprop, shellEnv } from '../support/cli.js';

/** Runs `command ARGS` in `cwd` as a user's shell would and fails with its output when it fails. */
async function sh(cwd: string, command: string, args: string[], timeoutMs: number): Promise<number> {
  const started = Date.now();
  const result = await runProcess(command, args, { cwd, env: shellEnv(), timeoutMs });
  assert.equal(result.code, 0, `${command} ${args.join(' ')} in ${cwd}:\n${result.stdout}\n${result.stderr}`);
  return (Date.now() - started) / 1000;
}

interface GenerateDoc {
  applicants: number;
  seed: number;
  files: Array<{ name: string; rows: number; sha256: string }>;
}

describe('a fresh clone (README: Running traceprop)', function () {
  // Measured on the 2-core dev box: clone < 1 s, npm ci ~10 s, build ~15 s, the CLI calls ~3 s.
  this.timeout(240_000);
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-clone-'));
  });

  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('installs, builds and runs `npx traceprop` from the clone: --help, --version and generate', async () => {
    // The committed tree (in CI the package root is itself a clean clone). The npm cache is warm
    // from the checkout's own `npm ci`; --prefer-offline only saves the registry round trips.
    const clone = path.join(dir, 'traceprop');
    const seconds = {
      clone: await sh(dir, 'git', ['clone', '--quiet', packageRoot, clone], 60_000),
      install: await sh(clone, 'npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], 120_000),
      build: await sh(clone, 'npm', ['run', 'build'], 120_000),
    };
    process.stderr.write(`[fresh clone] ${JSON.stringify(seconds)} s\n`);

    const help = (await runTraceprop(['--help'], { via: 'npx', cwd: clone })).ok();
    assert.match(help.stdout, /^Usage: traceprop \[options\] \[command\]/);
    for (const command of ['demo', 'generate', 'ingest', 'trace', 'unlearn', 'worker'])
      assert.match(help.stdout, new RegExp(`^\\s+${command}\\b`, 'm'), `--help lists ${command}`);
    const pkg = JSON.parse(fs.readFileSync(path.join(clone, 'package.json'), 'utf8'));
    assert.equal(
      (await runTraceprop(['--version'], { via: 'npx', cwd: clone })).ok().stdout.trim(),
      pkg.version,
    );

    // A real command that needs no services: the clone's CLI writes the same bytes as this checkout's.
    const generate = (out: string) => [
      'generate',
      'credit-risk',
      '--applicants',
      '50',
      '--out',
      out,
      '--json',
    ];
    const fromClone = (await runTraceprop(generate(path.join(dir, 'clone-data')), { via: 'npx', cwd: clone }))
      .ok()
      .json<GenerateDoc>();
    const fromCheckout = (await runTraceprop(generate(path.join(dir, 'checkout-data'))))
      .ok()
      .json<GenerateDoc>();
    assert.equal(fromClone.applicants, 50);
    assert.deepEqual(
      fromClone.files.map((f) => f.name),
      ['application.csv', 'bureau.csv', 'previous_application.csv'],
    );
    for (const f of fromClone.files) assert.ok(fs.existsSync(path.join(dir, 'clone-data', f.name)), f.name);
    const bytes = (doc: GenerateDoc) => doc.files.map((f) => [f.name, f.rows, f.sha256]);
    assert.deepEqual(bytes(fromClone), bytes(fromCheckout));
  });
});
