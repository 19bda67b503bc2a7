import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/config.js';
import { cypherLiterals, cypherShape } from './cypher-literals.js';

/**
 * Literals under `src/` allowed to read as Cypher, as `<path from the package root>:<text>`, each
 * with its reason. Keep it tiny: a statement belongs in `cypher/<folder>/<name>.cypher`, loaded
 * with `cypherText` (src/graph/cypher-library.ts). The scanner (`cypher-text-scan.ts`) and the
 * audit gate (`audit-query-gate.ts`) hold keywords and error messages, never a statement, so
 * they need no entry.
 */
const allowed: Record<string, string> = {};

/** Every `.ts` file under `dir`, at any depth, sorted. */
function tsFilesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return tsFilesUnder(full);
      return entry.name.endsWith('.ts') ? [full] : [];
    })
    .sort();
}

describe('no Cypher text in src/ (it lives in cypher/)', () => {
  it('finds no string or template literal under src/ that reads as a Cypher statement', () => {
    const found: string[] = [];
    for (const file of tsFilesUnder(path.join(packageRoot, 'src'))) {
      const name = path.relative(packageRoot, file).split(path.sep).join('/');
      for (const literal of cypherLiterals(name, fs.readFileSync(file, 'utf8'))) {
        if (`${name}:${literal.text}` in allowed) continue;
        found.push(`${name}:${literal.line} [${literal.shape}] ${literal.text.slice(0, 80)}`);
      }
    }
    if (found.length > 0)
      assert.fail(
        `${found.length} Cypher literal(s) in src/ (move each statement to cypher/<folder>/<name>.cypher and load it with cypherText):\n${found.join('\n')}`,
      );
  });

  it('reads statements as Cypher, whatever the clause they start with', () => {
    for (const text of [
      'MATCH (n) RETURN n',
      'OPTIONAL MATCH (p)-[:FOR]->(s:Sample) RETURN s',
      'MERGE (j:JobRun {jobId: $jobId}) ON CREATE SET j.kind = $kind',
      'CREATE (:Run {id: $id})',
      'CREATE CONSTRAINT run_id IF NOT EXISTS FOR (r:Run) REQUIRE r.id IS UNIQUE',
      'UNWIND $rows AS row\n  SET row.x = 1',
      'CALL db.awaitIndexes(300)',
      'CALL dbms.components() YIELD versions RETURN versions[0]',
      'CALL { MATCH (n) RETURN n }',
      "LOAD CSV WITH HEADERS FROM 'file:///x.csv' AS line RETURN line",
      'RETURN 1 AS one',
      'WITH $ids AS ids MATCH (s:Sample) WHERE s.id IN ids RETURN s',
      'SHOW CONSTRAINTS YIELD name',
    ])
      assert.ok(cypherShape(text), `reads as Cypher: ${text}`);
  });

  it('leaves prose, keyword lists and prefixes alone', () => {
    for (const text of [
      'EXPLAIN ',
      'CALL',
      'LOAD',
      'import (LOAD CSV): /var/lib/neo4j/import',
      'the query uses CALL { … } IN TRANSACTIONS (operator x); auditors run one read transaction',
      'the query uses LOAD CSV; auditors may not make the database fetch URLs',
      'run a read-only Cypher file with parameters; refused before it runs: writes, LOAD CSV, …',
      'no Model matches the given id; create one with `traceprop train`',
      'RETURN to the menu',
      'a Run with id r-1 exists already: each ingest needs a new run id',
    ])
      assert.equal(cypherShape(text), undefined, `not Cypher: ${text}`);
  });

  it('reads string literals and templates through the TypeScript parser, not comments or regexes', () => {
    const source = [
      '/** @example runReadQuery(client, `MATCH (r:Run) RETURN r`) */',
      '// MATCH (n) RETURN n',
      'const pattern = /MATCH \\(n\\) RETURN n/;',
      "const words = ['MATCH', 'RETURN'];",
      "const query = 'MATCH (n) RETURN n';",
      'const other = `',
      `  MERGE (m:Model {id: \${id}})`,
      '  RETURN m`;',
    ].join('\n');
    assert.deepEqual(
      cypherLiterals('planted.ts', source).map((l) => [l.line, l.shape]),
      [
        [5, 'MATCH ('],
        [6, 'MERGE ('],
      ],
    );
  });
});
