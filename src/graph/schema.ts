import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../config.js';
import { type GraphClient, withSession } from './connection.js';
import { cypherText } from './cypher-library.js';

/** Folder of the numbered schema files (`001_uniqueness.cypher`, …). */
const schemaDir = path.join(packageRoot, 'cypher', 'schema');

/** One schema statement and the file it came from. */
export interface SchemaStatement {
  file: string;
  cypher: string;
}

/** Reads the schema files in number order and splits them into statements (`;` ends one). */
export function readSchemaStatements(dir: string = schemaDir): SchemaStatement[] {
  const files = fs
    .readdirSync(dir)
    .filter((name) => /^\d+_.*\.cypher$/.test(name))
    .sort();
  return files.flatMap((file) =>
    stripComments(fs.readFileSync(path.join(dir, file), 'utf8'))
      .split(';')
      .map((cypher) => cypher.trim())
      .filter(Boolean)
      .map((cypher) => ({ file, cypher })),
  );
}

function stripComments(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.trim().startsWith('//'))
    .join('\n');
}

/**
 * Applies every schema statement (each is `IF NOT EXISTS`, so applying twice changes nothing)
 * and waits for the indexes to come online. Returns how many statements ran. Each statement runs
 * in its own write transaction (a schema change may not share a transaction with another), so a
 * cluster routes it to the leader and the driver retries it through a leader switch.
 */
export async function applySchema(client: GraphClient, dir: string = schemaDir): Promise<number> {
  const statements = readSchemaStatements(dir);
  await withSession(client, async (session) => {
    for (const statement of statements) {
      await session.executeWrite((tx) => tx.run(statement.cypher));
    }
    await session.executeWrite((tx) => tx.run(cypherText('schema', 'await-indexes')));
  });
  return statements.length;
}
