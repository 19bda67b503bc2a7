import { lcg } from '../lineage/helpers.js';
import type { RawTable } from './helpers.js';

/** The four tables of the bank-chain fixture pipeline. */
export interface BankTables extends Record<string, RawTable> {
  loan: { loan_id: number[]; account_id: number[]; amount: number[]; status: string[] };
  account: { account_id: number[]; region: string[]; income: number[] };
  disp: { disp_id: number[]; account_id: number[]; type: string[] };
  card: { card_id: number[]; disp_id: number[]; type: string[] };
}

/**
 * Small bank data worked out by hand in the tests: account 1 has two dispositions with three
 * cards, account 2 a disposition without a card, account 3 one card, account 4 none, and loan 53
 * names account 5, which does not exist.
 */
export const smallBank: BankTables = {
  loan: {
    loan_id: [50, 51, 52, 53, 54, 55, 56, 57],
    account_id: [1, 2, 3, 5, 4, 1, 2, 3],
    amount: [1000, 2000, 4000, 500, 8000, 3000, 1500, 2500],
    status: ['A', 'B', 'D', 'A', 'C', 'B', 'A', 'A'],
  },
  account: { account_id: [1, 2, 3, 4], region: ['n', 's', 'n', 'e'], income: [100, Number.NaN, 300, 400] },
  disp: {
    disp_id: [100, 101, 102, 103, 104],
    account_id: [1, 1, 2, 3, 4],
    type: ['OWNER', 'DISPONENT', 'OWNER', 'OWNER', 'OWNER'],
  },
  card: {
    card_id: [7, 8, 9, 10],
    disp_id: [100, 101, 103, 100],
    type: ['gold', 'classic', 'gold', 'junior'],
  },
};

/** Random bank data of the same shape (some loans name no account, some accounts have no card). */
export function randomBank(seed: number, accounts = 80, loans = 150): BankTables {
  const r = lcg(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const t: BankTables = {
    loan: { loan_id: [], account_id: [], amount: [], status: [] },
    account: { account_id: [], region: [], income: [] },
    disp: { disp_id: [], account_id: [], type: [] },
    card: { card_id: [], disp_id: [], type: [] },
  };
  for (let a = 1; a <= accounts; a++) {
    t.account.account_id.push(a);
    t.account.region.push(pick(['n', 'n', 'n', 's', 's', 'e', 'w']));
    t.account.income.push(r() < 0.1 ? Number.NaN : Math.round(100 + r() * 900));
    const disps = 1 + Math.floor(r() * 3);
    for (let d = 0; d < disps; d++) {
      const id = 1000 + t.disp.disp_id.length;
      t.disp.disp_id.push(id);
      t.disp.account_id.push(a);
      t.disp.type.push(d === 0 ? 'OWNER' : 'DISPONENT');
      const cards = r() < 0.4 ? Math.floor(r() * 3) : 0;
      for (let c = 0; c < cards; c++) {
        t.card.card_id.push(5000 + t.card.card_id.length);
        t.card.disp_id.push(id);
        t.card.type.push(pick(['gold', 'classic', 'junior']));
      }
    }
  }
  // cards are listed out of disposition order, as real files are
  const order = t.card.card_id.map((_, i) => i).sort((i, j) => ((i * 7919) % 101) - ((j * 7919) % 101));
  t.card = {
    card_id: order.map((i) => t.card.card_id[i]),
    disp_id: order.map((i) => t.card.disp_id[i]),
    type: order.map((i) => t.card.type[i]),
  };
  for (let l = 0; l < loans; l++) {
    t.loan.loan_id.push(9000 + l);
    t.loan.account_id.push(1 + Math.floor(r() * (accounts + 5)));
    t.loan.amount.push(Math.round(500 + r() * 20000));
    t.loan.status.push(r() < 0.3 ? pick(['B', 'D']) : pick(['A', 'C']));
  }
  return t;
}

/**
 * The source rows each loan should derive from, worked out by plain loops: its own row, its
 * account's row, and every card of a disposition of that account with that disposition's row
 * (dispositions without a card contribute nothing). As sorted `table:row` labels.
 */
export function expectedLoanRows(t: BankTables): Map<string, string[]> {
  const out = new Map<string, string[]>();
  t.loan.loan_id.forEach((id, l) => {
    const rows = new Set([`loan:${l}`]);
    const acc = t.loan.account_id[l];
    t.account.account_id.forEach((a, i) => {
      if (a === acc) rows.add(`account:${i}`);
    });
    t.card.disp_id.forEach((d, c) => {
      t.disp.disp_id.forEach((dd, j) => {
        if (dd === d && t.disp.account_id[j] === acc) {
          rows.add(`card:${c}`);
          rows.add(`disp:${j}`);
        }
      });
    });
    out.set(String(id), [...rows].sort());
  });
  return out;
}
