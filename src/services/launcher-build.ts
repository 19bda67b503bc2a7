import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../config.js';
import { ServiceUnavailableError, TracepropError } from '../errors.js';
import { which } from '../util/process.js';

/** Where the Maven project of the embedded Neo4j launcher lives. */
const launcherProjectDir = path.join(packageRoot, 'docker', 'neo4j-local');

/** The built launcher: its jar and the folder with Neo4j's jars. */
export interface LauncherBuild {
  classpath: string;
  built: boolean;
  seconds: number;
}

/**
 * Builds the Neo4j launcher with Maven unless a build of the same sources exists (a stamp of the
 * pom and Java sources is kept beside the jar), so only the first start pays for Maven.
 */
export async function ensureLauncherBuilt(
  onStatus: (line: string) => void = () => {},
): Promise<LauncherBuild> {
  const target = path.join(launcherProjectDir, 'target');
  const stampFile = path.join(target, '.traceprop-stamp');
  const stamp = sourceStamp();
  const classpath = [path.join(target, 'neo4j-local.jar'), path.join(target, 'lib', '*')].join(
    path.delimiter,
  );
  const started = Date.now();
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) {
    return { classpath, built: false, seconds: 0 };
  }
  const mvn = which('mvn');
  if (!mvn) {
    throw new ServiceUnavailableError(
      'neo4j.noMaven',
      'Building the local Neo4j needs Maven (mvn) and Java 17 on the PATH; install them (apt-get install maven openjdk-17-jdk) or point NEO4J_URI at a running Neo4j.',
    );
  }
  onStatus(
    'building the local Neo4j launcher with Maven (first start only; downloads Neo4j 5.26 from Maven Central)…',
  );
  const args = ['-B', '-q', '-f', path.join(launcherProjectDir, 'pom.xml'), 'package'];
  const output = await runCollecting(mvn, args);
  if (output.code !== 0) {
    throw new TracepropError(
      'neo4j.buildFailed',
      `Maven could not build the Neo4j launcher (exit ${output.code}):\n${output.tail}`,
    );
  }
  fs.writeFileSync(stampFile, stamp);
  return { classpath, built: true, seconds: (Date.now() - started) / 1000 };
}

function sourceStamp(): string {
  const hash = createHash('sha256');
  const files = [
    path.join(launcherProjectDir, 'pom.xml'),
    ...listFiles(path.join(launcherProjectDir, 'src')),
  ].sort();
  for (const file of files) {
    hash.update(path.relative(launcherProjectDir, file));
    hash.update(fs.readFileSync(file));
  }
  return hash.digest('hex');
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}

function runCollecting(command: string, args: string[]): Promise<{ code: number; tail: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, tail }));
  });
}
