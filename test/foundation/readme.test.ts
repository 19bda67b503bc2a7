import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cliReferenceMarkers, renderCliReference } from '../../src/cli/cli-reference.js';
import { packageRoot } from '../../src/config.js';
import { runTraceprop } from '../support/cli.js';

describe('README', () => {
  const readme = fs.readFileSync(path.join(packageRoot, 'README.md'), 'utf8');

  it("has a CLI reference identical to commander's help (run `npm run docs:cli` after changing the CLI)", () => {
    const start = readme.indexOf(cliReferenceMarkers.start) + cliReferenceMarkers.start.length;
    const end = readme.indexOf(cliReferenceMarkers.end);
    assert.ok(start > cliReferenceMarkers.start.length && end > start, 'CLI reference markers missing');
    assert.equal(readme.slice(start, end).trim(), renderCliReference().trim());
  });

  it('has a Quick start of exactly two commands: the demo and the tests', () => {
    const section = readme.split(/^## /m).find((s) => /^quick ?start/i.test(s));
    assert.ok(section, 'no Quick start section');
    const code = [...section.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].flatMap((m) => m[1].split('\n'));
    const commands = code.filter((line) => line.trim() && !line.trim().startsWith('#'));
    assert.equal(commands.length, 2, commands.join('\n'));
    assert.match(commands[0], /npm run demo/);
    assert.match(commands[1], /npm test/);
  });

  it('says how to run traceprop after the Quick start: npx from the checkout, npm link for PATH', () => {
    const sections = readme.split(/^## /m);
    const at = sections.findIndex((s) => /^quick ?start/i.test(s));
    const section = sections[at + 1];
    assert.match(section, /^Running `traceprop`\n/, 'the section right after the Quick start');
    assert.match(section, /`npm ci && npm run build`/);
    const code = [...section.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].flatMap((m) => m[1].split('\n'));
    const commands = code.map((line) => line.replace(/#.*/, '').trim()).filter(Boolean);
    assert.ok(commands.includes('npx traceprop --help'), commands.join('\n'));
    assert.ok(commands.includes('npm link'), commands.join('\n'));
    for (const line of commands.filter((l) => /traceprop /.test(l)))
      assert.match(line, /^npx traceprop /, `from the checkout: ${line}`);
    // The fresh-clone test runs these steps from a clean clone; the README names it.
    const test = /`(test\/foundation\/fresh-clone\.test\.ts)`/.exec(section)?.[1];
    assert.ok(test && fs.existsSync(path.join(packageRoot, test)), 'names the fresh-clone test');
  });

  it("runs traceprop in the auditor's session as `npx traceprop`, which works from the checkout", async () => {
    // Issue 8 item 13: after `npm ci` there is no `traceprop` on PATH; the session said `traceprop …`.
    const section = readme.split(/^## /m).find((s) => /^an auditor's session/i.test(s));
    assert.ok(section, "no An auditor's session section");
    const code = [...section.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].flatMap((m) => m[1].split('\n'));
    const calls = code.filter((line) => /\btraceprop\b/.test(line) && !/^\s/.test(line));
    assert.ok(calls.length >= 5, calls.join('\n'));
    for (const line of calls) assert.match(line, /^npx traceprop /, line);
    assert.match(section, /npm link/);
    const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8'));
    assert.equal(pkg.bin.traceprop, 'dist/src/cli/main.js');
    const npx = (await runTraceprop(['--version'], { via: 'npx', timeoutMs: 60_000 })).ok();
    assert.equal(npx.stdout.trim(), pkg.version);
  });

  it('runs the README test command in CI', () => {
    assert.match(fs.readFileSync(path.join(packageRoot, '.ci', 'run'), 'utf8'), /npm test/);
  });
});
