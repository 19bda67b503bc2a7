import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../../src/errors.js';
import { readPipelineSources } from '../../src/pipeline-run/read-pipeline-sources.js';
import { subjectIds } from '../../src/pipeline-run/subject-ids.js';
import { parsePipelineSpec } from '../../src/pipeline-spec/load-pipeline-spec.js';
import { PipelineSpecError } from '../../src/pipeline-spec/pipeline-spec-error.js';
import { miniPipeline } from './mini-pipeline.js';

/** The mini pipeline (39 lines) with a `subject:` section from line 40 on; `sources` lines from 43. */
function withSubject(sources: string): string {
  return `${miniPipeline}subject:\n  name: person\n  sources:\n${sources}`;
}

function rejects(text: string, code: string, line: number, yamlPath: string, message: RegExp): void {
  assert.throws(
    () => parsePipelineSpec(text, 'p.yaml'),
    (err: unknown) => {
      assert.ok(err instanceof PipelineSpecError, `expected a PipelineSpecError, got ${String(err)}`);
      assert.equal(err.code, code, err.message);
      assert.equal(err.location.path, yamlPath, err.message);
      assert.equal(err.location.line, line, err.message);
      assert.equal(err.exitCode, 2);
      assert.match(err.message, message);
      return true;
    },
  );
}

describe('pipeline files: the data subject declaration', () => {
  it('accepts own columns and a via with its on pairs, and keeps them in the canonical spec', () => {
    const p = parsePipelineSpec(
      withSubject(
        '    account: { column: account_id }\n    loan: { via: account, on: { account_id: account_id }, column: account_id }\n',
      ),
    );
    assert.deepEqual(p.spec.subject, {
      name: 'person',
      sources: {
        account: { column: 'account_id' },
        loan: { via: 'account', on: { account_id: 'account_id' }, column: 'account_id' },
      },
    });
    assert.equal(parsePipelineSpec(miniPipeline).spec.subject, undefined, 'the declaration is optional');
  });

  it('refuses an unknown source, at its key', () => {
    rejects(
      withSubject('    account: { column: account_id }\n    client: { column: client_id }\n'),
      'pipeline.unknownInput',
      44,
      'subject.sources.client',
      /unknown source "client"; expected one of the pipeline's sources \(loan, account\)/,
    );
  });

  it("refuses a step id as a subject source (a subject's rows are source rows)", () => {
    rejects(
      withSubject('    feats: { column: loan_id }\n'),
      'pipeline.unknownInput',
      43,
      'subject.sources.feats',
      /unknown source "feats"/,
    );
  });

  it('refuses an unknown column of the source, and one of the via source', () => {
    rejects(
      withSubject('    loan: { column: client_id }\n'),
      'pipeline.unknownColumn',
      43,
      'subject.sources.loan.column',
      /unknown column "client_id" in source loan; declared: loan_id, account_id, amount, status, date/,
    );
    rejects(
      withSubject('    loan: { via: account, on: { account_id: account_id }, column: client_id }\n'),
      'pipeline.unknownColumn',
      43,
      'subject.sources.loan.column',
      /unknown column "client_id" in source account/,
    );
    rejects(
      withSubject('    loan: { via: account, on: { acct: account_id }, column: account_id }\n'),
      'pipeline.unknownColumn',
      43,
      'subject.sources.loan.on.acct',
      /unknown column "acct" in source loan/,
    );
  });

  it('refuses a via without on, on without via, a via to itself, and on pairs of two types', () => {
    rejects(
      withSubject('    loan: { via: account, column: account_id }\n'),
      'pipeline.missingField',
      43,
      'subject.sources.loan.on',
      /via account needs "on"/,
    );
    rejects(
      withSubject('    loan: { on: { account_id: account_id }, column: account_id }\n'),
      'pipeline.invalidValue',
      43,
      'subject.sources.loan.on',
      /"on" goes with "via"/,
    );
    rejects(
      withSubject('    loan: { via: loan, on: { loan_id: loan_id }, column: loan_id }\n'),
      'pipeline.unknownInput',
      43,
      'subject.sources.loan.via',
      /expected another source/,
    );
    rejects(
      withSubject('    loan: { via: account, on: { status: account_id }, column: account_id }\n'),
      'pipeline.columnType',
      43,
      'subject.sources.loan.on.status',
      /loan\.status \(string\) and account\.account_id \(number\): expected the same type/,
    );
  });

  it('refuses a date as the subject id, and an unknown field of the declaration', () => {
    rejects(
      withSubject('    loan: { column: date }\n'),
      'pipeline.columnType',
      43,
      'subject.sources.loan.column',
      /expected a number or string column \(an id\), got date/,
    );
    rejects(
      withSubject('    loan: { column: loan_id, key: loan_id }\n'),
      'pipeline.unknownField',
      43,
      'subject.sources.loan.key',
      /key/,
    );
  });
});

describe('pipeline runs: subject ids of the source rows', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-subject-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Writes the mini pipeline's two files and parses them. */
  async function tables(accounts: string) {
    fs.writeFileSync(
      path.join(dir, 'loan.csv'),
      'loan_id;account_id;amount;status;date\n1;10;2000;A;930101\n2;11;3000;B;930102\n3;99;4000;A;930103\n4;;5000;A;930104\n',
    );
    fs.writeFileSync(path.join(dir, 'account.csv'), `account_id,frequency\n${accounts}`);
    const p = parsePipelineSpec(
      withSubject(
        '    account: { column: frequency }\n    loan: { via: account, on: { account_id: account_id }, column: frequency }\n',
      ),
    );
    return { p, t: await readPipelineSources(p, dir) };
  }

  it('reads own columns as text and follows a via (no match or a missing key: no subject)', async () => {
    const { p, t } = await tables('10,alice\n11,bob\n12,\n');
    const ids = subjectIds(p, t);
    assert.deepEqual(ids.get('account'), ['alice', 'bob', null]);
    assert.deepEqual(ids.get('loan'), ['alice', 'bob', null, null]);
    // Rows left out (erased before) get no subject.
    assert.deepEqual(subjectIds(p, t, { loan: [1] }).get('loan'), ['alice', null, null, null]);
  });

  it('refuses a via that is not many-to-one on the data, naming the key and the rows', async () => {
    const { p, t } = await tables('10,alice\n11,bob\n11,carol\n');
    assert.throws(
      () => subjectIds(p, t),
      (err: unknown) =>
        err instanceof InputError &&
        err.code === 'pipeline.subjectVia' &&
        /account\.csv has several rows with account_id 11 \(data rows 1 and 2\), which loan row 1/.test(
          err.message,
        ),
    );
    // A duplicate no row refers to is harmless.
    const ok = await tables('10,alice\n11,bob\n12,carol\n12,dave\n');
    assert.deepEqual(subjectIds(ok.p, ok.t).get('loan'), ['alice', 'bob', null, null]);
  });
});
