import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { packageRoot } from '../src/config.js';

/** Where the generated configuration reference lives, relative to the package root. */
export const configurationReferencePath = 'docs/configuration.md';

/** One default of src/defaults.ts, read from its source. */
export interface DefaultDoc {
  /** Section: the `//` comment above a group of defaults. */
  section: string;
  name: string;
  /** The value as written, e.g. `20_000` or `24 * 3600`. */
  value: string;
  /** The doc comment, on one line. */
  doc: string;
}

/** The environment variables read by src/config.ts, what they set and the default that applies. */
export const environmentVariables: [name: string, meaning: string, fallback: string][] = [
  [
    'NEO4J_URI',
    'Bolt URI of a running Neo4j; set, Traceprop never starts a local one',
    '`bolt://127.0.0.1:<TRACEPROP_NEO4J_PORT>`',
  ],
  ['NEO4J_USER', 'Neo4j user', '`neo4jUser`'],
  ['NEO4J_PASSWORD', 'Neo4j password (never logged); empty: no auth', 'empty'],
  ['NEO4J_DATABASE', 'Neo4j database', '`neo4jDatabase`'],
  [
    'REDIS_URL',
    'Redis of the job queues: `redis://[user:password@]host:port[/db]` (`rediss://` for TLS), or a Redis Cluster as `redis+cluster://[user:password@]host:port,host:port,…` (`rediss+cluster://` for TLS; docs/queue.md#redis-cluster)',
    '`redisUrl`',
  ],
  [
    'TRACEPROP_HOME',
    'local state: Neo4j data, artifacts, logs, pid files, the erasure salt',
    '`.traceprop` in the checkout',
  ],
  [
    'TRACEPROP_ARTIFACTS',
    'where run matrices and model artifacts are shared between hosts: a folder (e.g. a mount), or `s3://bucket/prefix`; TRACEPROP_HOME is then their local cache (see docs/object-storage.md; else `config.badArtifacts`)',
    'artifacts only under TRACEPROP_HOME',
  ],
  [
    'AWS_ENDPOINT_URL_S3',
    'endpoint of an S3-compatible server (MinIO, Ceph, s3rver), e.g. `http://127.0.0.1:9000`; `AWS_ENDPOINT_URL` is read when unset',
    'AWS S3',
  ],
  ['AWS_ENDPOINT_URL', 'endpoint of S3 when AWS_ENDPOINT_URL_S3 is unset', 'AWS S3'],
  ['AWS_REGION', "region of the artifacts' bucket (`AWS_DEFAULT_REGION` is read too)", '`s3Region`'],
  ['AWS_DEFAULT_REGION', 'region when AWS_REGION is unset', '`s3Region`'],
  [
    'AWS_ACCESS_KEY_ID',
    "access key of the artifacts' bucket, set together with AWS_SECRET_ACCESS_KEY",
    "the SDK's default credentials chain (profile, instance role, …)",
  ],
  [
    'AWS_SECRET_ACCESS_KEY',
    'secret key of the bucket (never logged nor put in an error)',
    'as AWS_ACCESS_KEY_ID',
  ],
  ['AWS_SESSION_TOKEN', 'session token of temporary credentials (never logged)', 'none'],
  [
    'TRACEPROP_S3_FORCE_PATH_STYLE',
    '`true`: path-style requests (`http://host/bucket/key`), `false`: virtual-hosted (else `config.badArtifacts`)',
    '`true` when an endpoint is set, else `false`',
  ],
  ['TRACEPROP_DATASETS', 'folder of the shared data sets', '`../shared/datasets` beside the checkout'],
  ['TRACEPROP_LOG_LEVEL', 'pino log level on stderr (`LOG_LEVEL` is read too)', '`logLevel`'],
  ['LOG_LEVEL', 'log level when TRACEPROP_LOG_LEVEL is unset', '`logLevel`'],
  [
    'TRACEPROP_NEO4J_PORT',
    'Bolt port of the local Neo4j (1-65535; else `config.badPort`)',
    '`localNeo4jPort`',
  ],
  [
    'TRACEPROP_NEO4J_HEAP',
    'heap of the local Neo4j JVM, e.g. `2g` (else `config.badSize`)',
    '`localNeo4jHeap`',
  ],
  [
    'TRACEPROP_NEO4J_PAGECACHE',
    'page cache of the local Neo4j, e.g. `4g` (see docs/scaling.md)',
    '`localNeo4jPagecache`',
  ],
  [
    'TRACEPROP_NEO4J_CHECKPOINT_VOLUME',
    'transaction log the local Neo4j writes between two checkpoints, e.g. `256m`',
    '`localNeo4jCheckpointVolume`',
  ],
  ['TRACEPROP_QUEUE_PREFIX', 'prefix of the queue names, to share one Redis between deployments', 'empty'],
  ['JAVA_HOME', 'the JVM that runs the local Neo4j', '`java` on the PATH'],
  [
    'TRACEPROP_RUN_LEASE_SECONDS',
    'lease of a running ingest (≥ 1; else `config.badSeconds`)',
    '`runLeaseSeconds`',
  ],
  [
    'TRACEPROP_ERASURE_SALT',
    "secret salt of the erasure tombstones' key hashes, the same for every process of a deployment (≥ 16 characters; else `config.shortSalt`)",
    'a random salt kept in `<TRACEPROP_HOME>/erasure-salt` (with TRACEPROP_ARTIFACTS set, shared through the artifact store: docs/object-storage.md)',
  ],
  [
    'TRACEPROP_SIGNING_KEY',
    'Ed25519 private key that signs evidence statements and tree heads, as PKCS8 PEM or base64 of PKCS8 DER (never logged; see docs/evidence.md)',
    '`<TRACEPROP_HOME>/signing-key.pem` when `traceprop keys init` made it; no key: nothing is signed',
  ],
  [
    'OPENLINEAGE_URL',
    'base URL of an OpenLineage receiver (e.g. Marquez); events are POSTed to `<url>/api/v1/lineage` (see docs/openlineage.md)',
    'no HTTP events',
  ],
  ['OPENLINEAGE_API_KEY', 'Bearer token of the OpenLineage receiver (never logged)', 'none'],
  ['OPENLINEAGE_NAMESPACE', 'job namespace of the OpenLineage events', '`openLineageNamespace`'],
  [
    'TRACEPROP_OPENLINEAGE_TRANSPORT',
    '`http`, `file` (JSON lines), `console` (stderr) or `none` (else `config.badOpenLineage`)',
    '`http` when OPENLINEAGE_URL is set, else `none`',
  ],
  [
    'TRACEPROP_OPENLINEAGE_FILE',
    "the file transport's JSON-lines file",
    '`<TRACEPROP_HOME>/openlineage/events.jsonl`',
  ],
  [
    'TRACEPROP_RETAIN_LOGS_DAYS',
    'days the transparency log and statements are kept at least; upward only (a whole number ≥ the default; else `config.retentionBelowMinimum`; see docs/retention.md)',
    '`retainLogsDays`',
  ],
  [
    'TRACEPROP_RETAIN_DOCS_YEARS',
    'years the technical documentation is kept at least; upward only (else `config.retentionBelowMinimum`)',
    '`retainDocsYears`',
  ],
];

/** Reads the defaults, their values as written and their doc comments from src/defaults.ts. */
export function readDefaultDocs(file = path.join(packageRoot, 'src', 'defaults.ts')): DefaultDoc[] {
  const text = fs.readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const docs: DefaultDoc[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && node.name.getText(source) === 'defaults' && node.initializer) {
      let object: ts.Node = node.initializer;
      while (ts.isAsExpression(object) || ts.isParenthesizedExpression(object)) object = object.expression;
      if (!ts.isObjectLiteralExpression(object)) return;
      let section = '';
      for (const property of object.properties) {
        if (!ts.isPropertyAssignment(property)) continue;
        const comments = ts.getLeadingCommentRanges(text, property.getFullStart()) ?? [];
        let doc = '';
        for (const range of comments) {
          const comment = text.slice(range.pos, range.end);
          if (comment.startsWith('//')) section = comment.slice(2).trim();
          else
            doc = comment
              .replace(/^\/\*\*|\*\/$/g, '')
              .replace(/^\s*\* ?/gm, '')
              .replace(/\s+/g, ' ')
              .trim();
        }
        docs.push({
          section,
          name: property.name.getText(source),
          value: property.initializer.getText(source),
          doc,
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return docs;
}

/**
 * Renders `docs/configuration.md`: the environment variables, then every default of
 * src/defaults.ts with its doc comment. A test compares the file with this;
 * `npm run docs:config` rewrites it.
 */
export function renderConfigurationReference(): string {
  const docs = readDefaultDocs();
  const lines = [
    '# Configuration',
    '',
    '<!-- Generated from src/config.ts and src/defaults.ts by `npm run docs:config`; do not edit by hand. -->',
    '',
    'Traceprop reads its environment in one place, `src/config.ts`, and keeps every default value in',
    'one module, `src/defaults.ts` (no imports, so the maths layers may use it). A command-line option',
    'overrides the default it names; an environment variable overrides the default it names.',
    '',
    '## Environment variables',
    '',
    '| Variable | Sets | Unset |',
    '| --- | --- | --- |',
    ...environmentVariables.map(([name, meaning, fallback]) => {
      // A fallback that names a default shows its value: `'neo4j'` (neo4jUser).
      const named = docs.find((d) => fallback === `\`${d.name}\``);
      return `| \`${name}\` | ${meaning} | ${named ? `\`${named.value}\` (${named.name})` : fallback} |`;
    }),
    '',
    'A bad value stops every command before any work with a usage error (exit 2); see docs/errors.md.',
    '',
    '## Defaults (`src/defaults.ts`)',
  ];
  let section: string | undefined;
  for (const d of docs) {
    if (d.section !== section) {
      section = d.section;
      lines.push('', `### ${section}`, '', '| Name | Default | Meaning |', '| --- | --- | --- |');
    }
    lines.push(`| \`${d.name}\` | \`${d.value}\` | ${d.doc.replace(/\|/g, '\\|')} |`);
  }
  return `${lines.join('\n')}\n`;
}
