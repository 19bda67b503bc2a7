import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/config.js';

/**
 * The house rule for every `.cypher` file under `cypher/`, in every folder at any depth (the
 * schema files included: they take no parameters and say so):
 * - it opens with a `//` comment block: first its purpose (what it does or which question it
 *   answers), then one `// Parameters:` line (it may wrap onto more `//` lines);
 * - the Parameters line is `// Parameters: none.` or names each parameter as `$name`;
 * - the header names exactly the parameters the statement uses: no `$name` in the body that the
 *   header does not name, none named that the body does not use, none used under `none.`.
 */
describe('Cypher files (cypher/**): purpose and Parameters header', () => {
  const root = path.join(packageRoot, 'cypher');
  const files = cypherFilesUnder(root);

  it('finds the Cypher files of every folder', () => {
    const folders = new Set(files.map((f) => path.dirname(path.relative(root, f))));
    for (const folder of ['ingest', 'queries', 'schema'])
      assert.ok(folders.has(folder), `cypher/${folder} is scanned`);
  });

  for (const file of files) {
    const name = path.relative(packageRoot, file);
    it(`${name} opens with its purpose and a Parameters line naming what it uses`, () => {
      const problems = headerProblems(fs.readFileSync(file, 'utf8'));
      assert.deepEqual(problems, [], `${name}: ${problems.join('; ')}`);
    });
  }

  it('reports a file without a header, a missing Parameters line and a parameter not named', () => {
    assert.deepEqual(headerProblems('MATCH (n) RETURN n'), [
      'no leading // comment saying its purpose',
      'no "// Parameters:" line',
    ]);
    assert.deepEqual(headerProblems('// Counts the nodes of the graph.\nMATCH (n) RETURN count(n)'), [
      'no "// Parameters:" line',
    ]);
    assert.deepEqual(
      headerProblems('// Finds one run by id.\n// Parameters: none.\nMATCH (r:Run {id: $runId}) RETURN r'),
      ['says "Parameters: none." but uses $runId'],
    );
    assert.deepEqual(
      headerProblems('// Finds one run by id.\n// Parameters: $id.\nMATCH (r:Run {id: $runId}) RETURN r'),
      ['uses $runId, not named in the header', 'names $id, not used'],
    );
    assert.deepEqual(
      headerProblems(
        "// Finds one run by id.\n// Parameters: $runId (Run id,\n// e.g. 'r-1').\nMATCH (r:Run {id: $runId, note: '$not'}) RETURN r",
      ),
      [],
    );
  });
});

/** Every `.cypher` file under `dir`, at any depth, sorted. */
function cypherFilesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return cypherFilesUnder(full);
      return entry.name.endsWith('.cypher') ? [full] : [];
    })
    .sort();
}

/** What breaks the header rule in a Cypher file's text (empty when it keeps it). */
function headerProblems(text: string): string[] {
  const lines = text.split('\n');
  const end = lines.findIndex((line) => !line.trim().startsWith('//'));
  const header = lines.slice(0, end === -1 ? lines.length : end).map((line) => line.trim().slice(2).trim());
  const body = lines
    .slice(header.length)
    .filter((line) => !line.trim().startsWith('//'))
    .join('\n')
    // A `$` inside a string literal is text, not a parameter.
    .replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, "''");
  const problems: string[] = [];
  const at = header.findIndex((line) => line.startsWith('Parameters:'));
  const purpose = header.slice(0, at === -1 ? header.length : at).join(' ');
  if (purpose.length < 15) problems.push('no leading // comment saying its purpose');
  if (at === -1) return [...problems, 'no "// Parameters:" line'];
  if (header.filter((line) => line.startsWith('Parameters:')).length > 1)
    problems.push('more than one "// Parameters:" line');
  const named = parameterNames(header.slice(at).join('\n'));
  const used = parameterNames(body);
  if (header[at] === 'Parameters: none.') {
    if (used.length > 0)
      problems.push(`says "Parameters: none." but uses ${used.map((p) => `$${p}`).join(', ')}`);
    return problems;
  }
  if (named.length === 0)
    problems.push('the Parameters line names no $parameter (write "Parameters: none.")');
  for (const p of used) if (!named.includes(p)) problems.push(`uses $${p}, not named in the header`);
  for (const p of named) if (!used.includes(p)) problems.push(`names $${p}, not used`);
  return problems;
}

function parameterNames(text: string): string[] {
  return [...new Set([...text.matchAll(/\$([A-Za-z_]\w*)/g)].map((m) => m[1]))];
}
