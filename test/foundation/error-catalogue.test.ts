import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { codeShape, findErrorCodeSites } from '../../scripts/error-code-sites.js';
import { errorReferencePath, renderErrorReference } from '../../scripts/error-reference.js';
import { packageRoot } from '../../src/config.js';
import { type ErrorEntry, ExitCode, errorCatalogue } from '../../src/error-catalogue.js';
import {
  type ErrorCode,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
  TracepropError,
  UsageError,
} from '../../src/errors.js';

const catalogue = errorCatalogue as Record<string, ErrorEntry>;
const srcDir = path.join(packageRoot, 'src');
const { sites, dynamic } = findErrorCodeSites(srcDir, ['error-catalogue.ts']);

/**
 * The throw sites whose code is not a literal, each with why the catalogue still holds: the
 * constructors take only catalogue codes (`ErrorCode`), so these are type-checked, and none builds a
 * code from a template string.
 */
const knownDynamicSites: [expression: string, file: string][] = [
  // UsageError.from: an argument check re-raised as a usage error (catalogue `alsoUsage`).
  ["UsageError(err.code as ErrorCodeOf<'UsageError'>)", 'errors.ts'],
  // refused(code: ErrorCodeOf<'UsageError'>, …): its callers pass literals (scanned as `call`).
  ['UsageError(code)', 'graph/audit-query-gate.ts'],
  // unshiftPositions: a usage error from neo4jClientError re-made with shifted positions.
  ["UsageError(err.code as ErrorCodeOf<'UsageError'>)", 'graph/audit-query-gate.ts'],
  // fail(code: ExpressionErrorCode, …) of the type checker: its callers pass literals (`call`).
  ['UsageError(code)', 'expressions/type-check.ts'],
  // fail: Fail of the pipeline loader (PipelineSpecError): every caller passes a literal (`call`).
  ['UsageError(code)', 'pipeline-spec/load-pipeline-spec.ts'],
];

describe('error catalogue', () => {
  it('lists every error code used under src/ (a scan of the syntax, besides the type check)', () => {
    assert.ok(sites.length > 200, `only ${sites.length} sites found: is the scan broken?`);
    // commander's own codes (`commander.help`, compared in cli/run-cli.ts) are not Traceprop's.
    const ours = sites.filter((s) => !s.code.startsWith('commander.'));
    const missing = ours.filter((s) => !(s.code in catalogue)).map((s) => `${s.code} at ${s.at}`);
    assert.deepEqual(missing, [], 'codes missing from src/error-catalogue.ts');
  });

  it('gives each code the class its throw sites use', () => {
    const classes = new Set([
      'TracepropError',
      'UsageError',
      'ServiceUnavailableError',
      'InputError',
      'NotFoundError',
    ]);
    const wrong = sites
      .filter((s) => classes.has(s.kind) && catalogue[s.code]?.class !== s.kind)
      .map((s) => `${s.code} at ${s.at}: new ${s.kind}, catalogue says ${catalogue[s.code]?.class}`);
    assert.deepEqual(wrong, []);
  });

  it('has no dead code: every entry is thrown or mentioned somewhere under src/', () => {
    const used = new Set(sites.map((s) => s.code));
    assert.deepEqual(
      Object.keys(catalogue).filter((code) => !used.has(code)),
      [],
    );
  });

  it('builds no code at run time except at the known, type-checked sites', () => {
    const unknown = dynamic
      .filter((d) => {
        const file = d.at.split(':')[0];
        return !knownDynamicSites.some(([expr, f]) => expr === d.expression && f === file);
      })
      .map((d) => `${d.expression} at ${d.at}`);
    assert.deepEqual(unknown, []);
  });

  it('has well-formed entries whose exit codes and flags follow the class unless said otherwise', () => {
    const byClass: Record<string, { exitCode: number; retriable: boolean }> = {
      TracepropError: { exitCode: ExitCode.failure, retriable: false },
      UsageError: { exitCode: ExitCode.usage, retriable: false },
      ServiceUnavailableError: { exitCode: ExitCode.unavailable, retriable: true },
      InputError: { exitCode: ExitCode.failure, retriable: false },
      NotFoundError: { exitCode: ExitCode.failure, retriable: false },
    };
    // The only entries that differ from their class's defaults (each kept from before the catalogue).
    const exceptions = ['ingest.interrupted', 'models.supersededMeanwhile', 'queue.waitTimeout'];
    for (const [code, e] of Object.entries(catalogue)) {
      assert.match(code, codeShape, code);
      assert.ok(e.meaning.length > 10 && !e.meaning.includes('\n'), `${code}: a one-line meaning`);
      const differs = e.exitCode !== byClass[e.class].exitCode || e.retriable !== byClass[e.class].retriable;
      assert.equal(differs, exceptions.includes(code), `${code}: ${JSON.stringify(e)}`);
    }
  });

  it('makes the constructors read exit code and retriable from the code', () => {
    const cases: [TracepropError, number, boolean][] = [
      [new UsageError('cli.badOption', 'x'), 2, false],
      [new InputError('ingest.badCsv', 'x'), 1, false],
      [new NotFoundError('graph.notFound', 'x'), 1, false],
      [new ServiceUnavailableError('graph.unavailable', 'x'), 3, true],
      [new TracepropError('ingest.interrupted', 'x'), 130, false],
      [new TracepropError('queue.waitTimeout', 'x'), 1, true],
      [new TracepropError('models.supersededMeanwhile', 'x'), 1, true],
      // fromCause: keeps the wrapped error's exit code and retriable flag …
      [
        new TracepropError('graph.ingestFailed', 'x', {
          cause: new ServiceUnavailableError('graph.unavailable', 'y'),
        }),
        3,
        true,
      ],
      // … and uses its own for any other cause.
      [new TracepropError('graph.ingestFailed', 'x', { cause: new Error('y') }), 1, false],
      // An argument check re-raised for the CLI.
      [UsageError.from(new InputError('queue.badPayload', 'x')), 2, false],
    ];
    for (const [err, exitCode, retriable] of cases) {
      assert.deepEqual([err.code, err.exitCode, err.retriable], [err.code, exitCode, retriable]);
    }
    const wrapped = UsageError.from(new InputError('graph.badName', 'bad name'));
    assert.ok(wrapped instanceof UsageError);
    assert.equal(wrapped.message, 'bad name');
    assert.equal(wrapped.code, 'graph.badName' satisfies ErrorCode);
  });

  it(`is what ${errorReferencePath} documents (run \`npm run docs:errors\` after changing it)`, () => {
    const file = path.join(packageRoot, errorReferencePath);
    assert.ok(fs.existsSync(file), `${errorReferencePath} is missing: run npm run docs:errors`);
    assert.equal(fs.readFileSync(file, 'utf8'), renderErrorReference());
  });
});
