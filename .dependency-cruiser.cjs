/**
 * Layering of Traceprop (issue 9), checked by `npm run lint:deps` (part of `npm run lint`, run
 * by .ci/run before the tests). It reads the TypeScript sources through tsconfig.json: no build
 * needed. Folder map:
 *   src/lineage, src/attribution, src/unlearning  the maths: no I/O layer, no graph, no queue
 *   src/graph   graph client, the exactly-once commit primitive, read queries, lineage writer
 *   src/jobs/<kind>   one job kind each (train, attribution, unlearning): read → compute →
 *                     write-back → run; a kind never imports another kind
 *   src/queue   transport only: queues, sandboxed processors, submit/wait/find, settings
 *   src/cli     presentation (commands, progress bars, job watching): nothing imports it
 * bench/, scripts/ and test/ may import any of src/; src/ imports none of them.
 * test/foundation/layering.test.ts shows each rule failing on test/fixtures/layering/.
 */

/** The maths folders. */
const maths = '^src/(lineage|attribution|unlearning)/';

/** Entry points: started by node, by a worker thread or by BullMQ's sandbox, not imported. */
const entryPoints = [
  '^src/index\\.ts$',
  '^src/cli/main\\.ts$',
  '^src/web/main\\.ts$',
  '^src/web/[^/]+\\.d\\.ts$',
  '^src/queue/processors/[^/]+\\.ts$',
  '^src/attribution/score-worker\\.ts$',
  '^src/queue/parent-watchdog-thread\\.ts$',
  '^bench/main\\.ts$',
  '^bench/support/credit-risk-run-child\\.ts$',
  '^scripts/[^/]+\\.ts$',
  '^test/.+\\.test\\.ts$',
  '^test/hooks/root-hooks\\.ts$',
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'No module imports one that imports it back at run time (a cycle made only of `import type` is allowed: a Frame names its Pipeline).',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-folder-cycles',
      scope: 'folder',
      severity: 'error',
      comment: 'No folder of src/ imports one that imports it back (type imports count).',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-import-of-cli',
      severity: 'error',
      comment: 'src/cli is presentation: only src/cli itself (and tests, bench, scripts) import it.',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'maths-is-pure',
      severity: 'error',
      comment:
        'The maths (src/lineage, src/attribution, src/unlearning) import no graph, queue, job, CLI, service or ingest code, nor a database or queue client.',
      from: { path: maths },
      to: {
        path: [
          '^src/(graph|queue|jobs|cli|services|ingest)/',
          '(^|/)node_modules/(neo4j-driver[^/]*|bullmq|ioredis)/',
          '^(neo4j-driver|bullmq|ioredis)(/|$)',
        ],
      },
    },
    {
      name: 'graph-below-jobs-and-queue',
      severity: 'error',
      comment:
        'src/graph (client, commit primitive, queries) imports nothing from src/queue, src/jobs or src/cli.',
      from: { path: '^src/graph/' },
      to: { path: '^src/(queue|jobs|cli)/' },
    },
    {
      name: 'queue-below-cli',
      severity: 'error',
      comment: 'src/queue (transport) imports nothing from src/cli.',
      from: { path: '^src/queue/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'jobs-below-queue',
      severity: 'error',
      comment:
        "src/queue is transport: its processors call a job's run; a job (src/jobs/**) imports nothing from src/queue or src/cli.",
      from: { path: '^src/jobs/' },
      to: { path: '^src/(queue|cli)/' },
    },
    {
      name: 'job-kinds-apart',
      severity: 'error',
      comment:
        'A job kind (src/jobs/<kind>/) imports no other job kind: share code through src/graph or the maths.',
      from: { path: '^src/jobs/([^/]+)/' },
      to: { path: '^src/jobs/[^/]+/', pathNot: '^src/jobs/$1/' },
    },
    {
      name: 'src-imports-no-bench-or-test',
      severity: 'error',
      comment: 'src/ is the product: it imports nothing from bench/, test/ or scripts/.',
      from: { path: '^src/' },
      to: { path: '^(bench|test|scripts)/' },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment:
        'A module that imports nothing and that nothing imports is dead code, unless it is an entry point (see entryPoints).',
      from: { orphan: true, pathNot: [...entryPoints, '\\.d\\.ts$'] },
      to: {},
    },
    {
      name: 'no-unreachable-src',
      severity: 'error',
      comment:
        'Every module of src/ is reached from an entry point (the CLI, the package main, a processor, a worker thread, bench, scripts or a test); one that is not is dead code.',
      from: { path: entryPoints },
      to: { path: '^src/', pathNot: entryPoints, reachable: false },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to no file: a typo, or a package missing from package.json.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^dist/', '^test/fixtures/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.d.ts', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
