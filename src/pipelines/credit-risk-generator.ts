import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { SeededRandom } from '../util/seeded-random.js';
import { type CsvCell, CsvWriter } from './csv-writer.js';

/** Configuration of {@link generateCreditRisk}. */
export interface CreditRiskGeneratorConfig {
  /** Number of applicants (rows of `application.csv`). */
  applicants: number;
  /** PRNG seed: the same seed and size give byte-identical files. */
  seed: number;
  /** Output directory (created if missing). */
  outDir: string;
  /** Mean bureau records per applicant (default 4.4). */
  bureauPerApplicant?: number;
  /** Mean previous applications per applicant (default 3.2). */
  previousPerApplicant?: number;
  /**
   * Share of skipped SK_ID_CURR values (clients absent from `application.csv`, like Kaggle's
   * test clients) that still get bureau/previous rows (default 0.5; 0 disables such orphans).
   */
  orphanRate?: number;
}

/** One generated file. */
interface GeneratedFile {
  table: 'application' | 'bureau' | 'previous_application';
  name: string;
  path: string;
  rows: number;
  sha256: string;
}

/** What {@link generateCreditRisk} wrote. */
export interface CreditRiskDataset {
  outDir: string;
  seed: number;
  applicants: number;
  files: GeneratedFile[];
  /** Rows of all three files together (about 9 per applicant). */
  totalRows: number;
  /** Share of applicants with TARGET = 1. */
  defaultRate: number;
}

/** `application.csv` columns (Home Credit names; TARGET is the label). */
const applicationColumns = [
  'SK_ID_CURR',
  'TARGET',
  'NAME_CONTRACT_TYPE',
  'CODE_GENDER',
  'FLAG_OWN_CAR',
  'FLAG_OWN_REALTY',
  'CNT_CHILDREN',
  'AMT_INCOME_TOTAL',
  'AMT_CREDIT',
  'AMT_ANNUITY',
  'AMT_GOODS_PRICE',
  'NAME_TYPE_SUITE',
  'NAME_INCOME_TYPE',
  'NAME_EDUCATION_TYPE',
  'NAME_FAMILY_STATUS',
  'NAME_HOUSING_TYPE',
  'DAYS_BIRTH',
  'DAYS_EMPLOYED',
  'OCCUPATION_TYPE',
  'EXT_SOURCE_1',
  'EXT_SOURCE_2',
  'EXT_SOURCE_3',
] as const;

/** `bureau.csv` columns. */
const bureauColumns = [
  'SK_ID_CURR',
  'SK_ID_BUREAU',
  'CREDIT_ACTIVE',
  'CREDIT_CURRENCY',
  'DAYS_CREDIT',
  'CREDIT_DAY_OVERDUE',
  'DAYS_CREDIT_ENDDATE',
  'AMT_CREDIT_MAX_OVERDUE',
  'CNT_CREDIT_PROLONG',
  'AMT_CREDIT_SUM',
  'AMT_CREDIT_SUM_DEBT',
  'AMT_CREDIT_SUM_OVERDUE',
  'CREDIT_TYPE',
] as const;

/** `previous_application.csv` columns. */
const previousColumns = [
  'SK_ID_PREV',
  'SK_ID_CURR',
  'NAME_CONTRACT_TYPE',
  'AMT_ANNUITY',
  'AMT_APPLICATION',
  'AMT_CREDIT',
  'NAME_CONTRACT_STATUS',
  'DAYS_DECISION',
  'CNT_PAYMENT',
  'NAME_CLIENT_TYPE',
  'CODE_REJECT_REASON',
] as const;

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const money = (x: number): number => Math.round(x * 2) / 2;
const cents = (x: number): number => Math.round(x * 100) / 100;
/** A score in (0, 1) with 8 decimals, printed without float noise. */
const score = (x: number): number => Number(x.toFixed(8));

/**
 * Writes a synthetic Home Credit–like data set: `application.csv`, `bureau.csv` and
 * `previous_application.csv`, about 9 rows per applicant in all. Each applicant has a latent
 * risk that shifts their external score, their bureau overdue/debt records and their refused
 * previous applications; TARGET is drawn from a logistic model over observable features of all
 * three tables, so every table carries real signal. Deterministic for a given seed.
 *
 * @example
 * const ds = await generateCreditRisk({ applicants: 20000, seed: 7, outDir: '/tmp/cr' });
 * ds.totalRows; // ≈ 180,000
 */
export async function generateCreditRisk(config: CreditRiskGeneratorConfig): Promise<CreditRiskDataset> {
  const { applicants, seed } = config;
  if (!Number.isInteger(applicants) || applicants < 1) {
    throw new UsageError(
      'generate.badApplicants',
      `--applicants: expected a positive integer, got ${applicants}`,
    );
  }
  if (!Number.isInteger(seed))
    throw new UsageError('generate.badSeed', `--seed: expected an integer, got ${seed}`);
  const bureauMean = config.bureauPerApplicant ?? 4.4;
  const prevMean = config.previousPerApplicant ?? 3.2;
  const orphanRate = config.orphanRate ?? 0.5;
  await fs.promises.mkdir(config.outDir, { recursive: true });
  const rng = new SeededRandom(seed, 'mulberry32');
  const app = new CsvWriter(path.join(config.outDir, 'application.csv'), applicationColumns);
  const bureau = new CsvWriter(path.join(config.outDir, 'bureau.csv'), bureauColumns);
  const prev = new CsvWriter(path.join(config.outDir, 'previous_application.csv'), previousColumns);
  let id = 100001;
  let bureauId = 5000000;
  let prevId = 1000000;
  let defaults = 0;

  /** Child rows of one client; returns the observable aggregates the label depends on. */
  const children = async (client: number, risk: number) => {
    const nb = rng.poisson(bureauMean);
    let overdue = 0;
    let creditSum = 0;
    let debtSum = 0;
    for (let k = 0; k < nb; k++) {
      bureauId += 1 + (rng.bernoulli(0.05) ? rng.int(5) : 0);
      const isOverdue = rng.bernoulli(sigmoid(-3.2 + 1.3 * risk));
      const status =
        isOverdue && rng.bernoulli(0.05)
          ? 'Bad debt'
          : rng.pick(['Closed', 'Active', 'Sold'], [0.62, 0.37, 0.01]);
      const daysCredit = -1 - rng.int(2922);
      const amount = money(Math.exp(rng.normal(11.5, 0.9)));
      const active = status === 'Active' || status === 'Bad debt';
      const debtShare = active ? sigmoid(rng.normal(-0.6 + 0.8 * risk, 0.8)) : 0;
      const debt = rng.bernoulli(0.12) ? undefined : cents(amount * debtShare);
      const dayOverdue = isOverdue ? 1 + rng.int(90) : 0;
      if (dayOverdue > 0) overdue++;
      creditSum += amount;
      debtSum += debt ?? 0;
      await bureau.row([
        client,
        bureauId,
        status,
        'currency 1',
        daysCredit,
        dayOverdue,
        daysCredit + 90 + rng.int(1800),
        rng.bernoulli(0.6) ? undefined : cents(isOverdue ? amount * 0.05 * rng.next() : 0),
        rng.bernoulli(0.03) ? 1 : 0,
        amount,
        debt,
        isOverdue ? cents((debt ?? 0) * 0.1) : 0,
        rng.pick(['Consumer credit', 'Credit card', 'Car loan', 'Mortgage'], [0.73, 0.23, 0.02, 0.02]),
      ]);
    }
    const np = rng.poisson(prevMean);
    let refused = 0;
    for (let k = 0; k < np; k++) {
      prevId += 1 + rng.int(3);
      const isRefused = rng.bernoulli(sigmoid(-1.5 + 1.0 * risk));
      const status = isRefused
        ? 'Refused'
        : rng.pick(['Approved', 'Canceled', 'Unused offer'], [0.78, 0.2, 0.02]);
      if (isRefused) refused++;
      const asked = money(Math.exp(rng.normal(11.2, 0.9)));
      const granted = status === 'Approved' ? money(asked * (0.9 + 0.3 * rng.next())) : isRefused ? 0 : asked;
      const term = rng.pick([6, 12, 18, 24, 36, 48, 60]);
      await prev.row([
        prevId,
        client,
        rng.pick(['Cash loans', 'Consumer loans', 'Revolving loans'], [0.45, 0.44, 0.11]),
        granted > 0 ? cents(granted / term) : undefined,
        asked,
        granted,
        status,
        -1 - rng.int(2922),
        term,
        rng.pick(['Repeater', 'New', 'Refreshed'], [0.74, 0.18, 0.08]),
        isRefused ? rng.pick(['HC', 'LIMIT', 'SCO', 'SCOFR'], [0.5, 0.25, 0.15, 0.1]) : 'XAP',
      ]);
    }
    return {
      overdueShare: nb > 0 ? overdue / nb : 0,
      debtRatio: creditSum > 0 ? debtSum / creditSum : 0,
      refusedShare: np > 0 ? refused / np : 0,
    };
  };

  for (let a = 0; a < applicants; a++) {
    // Skipped ids are clients absent from application.csv; some still have child rows.
    id += 1;
    while (rng.bernoulli(0.1)) {
      if (rng.bernoulli(orphanRate)) await children(id, rng.normal(0, 1));
      id += 1;
    }
    const risk = rng.normal(0, 1);
    const obs = await children(id, risk);
    const incomeType = rng.pick(
      ['Working', 'Commercial associate', 'Pensioner', 'State servant'],
      [0.52, 0.23, 0.18, 0.07],
    );
    const age = incomeType === 'Pensioner' ? 55 + 14 * rng.next() : 21 + 44 * rng.next();
    const daysBirth = -Math.round(age * 365.25);
    const daysEmployed =
      incomeType === 'Pensioner' ? 365243 : -Math.round(rng.next() * Math.min(age - 18, 40) * 365.25);
    const income = Math.round(Math.exp(rng.normal(11.9, 0.5)) / 450) * 450;
    const creditIncome = Math.exp(rng.normal(0.9 + 0.15 * risk, 0.55));
    const credit = money(income * creditIncome);
    const contract = rng.pick(['Cash loans', 'Revolving loans'], [0.9, 0.1]);
    const annuity = money(credit / (contract === 'Cash loans' ? 12 + rng.int(36) : 20));
    const ext2 = sigmoid(rng.normal(0.3 - 0.9 * risk, 0.7));
    const ext1 = rng.bernoulli(0.56) ? undefined : score(sigmoid(rng.normal(-0.6 * risk, 1)));
    const ext3 = rng.bernoulli(0.2) ? undefined : score(sigmoid(rng.normal(-0.7 * risk, 0.9)));
    const logit =
      -3.0 +
      0.35 * (Math.log(creditIncome) - 0.9) -
      3.2 * (ext2 - 0.55) +
      2.2 * obs.overdueShare +
      1.1 * (obs.debtRatio - 0.25) +
      1.6 * (obs.refusedShare - 0.2) -
      0.02 * (age - 43);
    const target = rng.bernoulli(sigmoid(logit)) ? 1 : 0;
    defaults += target;
    const row: CsvCell[] = [
      id,
      target,
      contract,
      rng.pick(['F', 'M', 'XNA'], [0.65, 0.3498, 0.0002]),
      rng.pick(['Y', 'N'], [0.34, 0.66]),
      rng.pick(['Y', 'N'], [0.69, 0.31]),
      rng.poisson(0.4),
      income,
      credit,
      rng.bernoulli(0.001) ? undefined : annuity,
      contract === 'Cash loans' ? money(credit * 0.9) : undefined,
      rng.pick(
        ['Unaccompanied', 'Family', 'Spouse, partner', 'Children', undefined],
        [0.8, 0.13, 0.04, 0.01, 0.02],
      ),
      incomeType,
      rng.pick(
        ['Secondary / secondary special', 'Higher education', 'Incomplete higher', 'Lower secondary'],
        [0.71, 0.24, 0.03, 0.02],
      ),
      rng.pick(
        ['Married', 'Single / not married', 'Civil marriage', 'Separated', 'Widow'],
        [0.64, 0.15, 0.1, 0.06, 0.05],
      ),
      rng.pick(
        ['House / apartment', 'With parents', 'Municipal apartment', 'Rented apartment'],
        [0.89, 0.05, 0.04, 0.02],
      ),
      daysBirth,
      daysEmployed,
      incomeType === 'Pensioner'
        ? undefined
        : rng.pick(
            ['Laborers', 'Sales staff', 'Core staff', 'Managers', 'Drivers'],
            [0.3, 0.2, 0.2, 0.15, 0.15],
          ),
      ext1,
      score(ext2),
      ext3,
    ];
    await app.row(row);
  }
  const files: GeneratedFile[] = [];
  for (const [table, w] of [
    ['application', app],
    ['bureau', bureau],
    ['previous_application', prev],
  ] as const) {
    const sha256 = await w.close();
    files.push({ table, name: path.basename(w.path), path: w.path, rows: w.rows, sha256 });
  }
  return {
    outDir: config.outDir,
    seed,
    applicants,
    files,
    totalRows: files.reduce((s, f) => s + f.rows, 0),
    defaultRate: defaults / applicants,
  };
}
