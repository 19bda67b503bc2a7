import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The variable that declares the bench's Neo4j a throw-away one, whatever TRACEPROP_HOME is. */
const privateNeo4jVariable = 'TRACEPROP_BENCH_PRIVATE_NEO4J';

/**
 * Refuses, with an error that says what to set, to run a bench section that wipes nodes (`what`)
 * unless its Neo4j is private: the local Neo4j of a TRACEPROP_HOME under the OS temp folder, on a
 * TRACEPROP_NEO4J_PORT of its own, with no NEO4J_URI (which would point at someone's database);
 * or TRACEPROP_BENCH_PRIVATE_NEO4J=1 says so explicitly.
 *
 * @example
 * assertPrivateNeo4j('evidence', 'the transparency log (LogEntry, Statement, TreeHead, SigningKey, LogState)');
 */
export function assertPrivateNeo4j(section: string, what: string, env = process.env): void {
  if (env[privateNeo4jVariable] === '1') return;
  const reasons: string[] = [];
  if (env.NEO4J_URI) reasons.push(`NEO4J_URI is set (${env.NEO4J_URI})`);
  if (!env.TRACEPROP_NEO4J_PORT) reasons.push('TRACEPROP_NEO4J_PORT is not set');
  if (!env.TRACEPROP_HOME) reasons.push('TRACEPROP_HOME is not set');
  else if (!insideTempDir(env.TRACEPROP_HOME))
    reasons.push(`TRACEPROP_HOME (${env.TRACEPROP_HOME}) is not under the temp folder ${os.tmpdir()}`);
  if (reasons.length === 0) return;
  throw new Error(
    `bench ${section}: refusing to delete ${what} from a Neo4j that may not be private: ${reasons.join('; ')}. ` +
      `Run it on a throw-away Neo4j: TRACEPROP_NEO4J_PORT=<a free port> TRACEPROP_HOME=${path.join(os.tmpdir(), '<yours>')} ` +
      `(NEO4J_URI unset), or set ${privateNeo4jVariable}=1 if the Neo4j it reaches is yours to wipe.`,
  );
}

function insideTempDir(dir: string): boolean {
  const real = (p: string) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  const tmp = real(os.tmpdir());
  const home = real(dir);
  const rel = path.relative(tmp, home);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
