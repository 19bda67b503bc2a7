import assert from 'node:assert/strict';
import path from 'node:path';
import {
  byRowNumber,
  expectedBerkaProvenance,
  expectedSingleTableProvenance,
} from '../support/expected-provenance.js';
import { requireDataset } from '../support/require-dataset.js';

// The oracle of the shipped pipelines' row provenance, checked against facts read off the files
// by hand (awk over the CSVs; rows are 0-based data rows, i.e. file line − 2 with a header).
describe('expected provenance of the shipped pipelines (the oracle itself)', () => {
  it('Berka: each loan derives from its loan, account, district, disp, client, card and order rows', () => {
    const berka = path.dirname(requireDataset('berka_czech_financial/loan.csv'));
    const p = expectedBerkaProvenance(berka);
    assert.equal(p.size, 682);
    // loan 5314 (line 2): account 1787 (line 263) in district 30 (Sokolov, line 31), one owner
    // disposition 2166 (line 2051) of client 2166 (line 2051), no card, one UVER order 32012.
    assert.deepEqual(p.get('5314'), [
      'account.csv:261',
      'client.csv:2049',
      'disp.csv:2049',
      'district.csv:29',
      'loan.csv:0',
      'order.csv:2361',
    ]);
    // loan 6647: account 8051 in Praha (district 1), an owner and a disponent, no card, one order
    assert.deepEqual(p.get('6647'), [
      'account.csv:117',
      'client.csv:5057',
      'client.csv:5058',
      'disp.csv:5057',
      'disp.csv:5058',
      'district.csv:0',
      'loan.csv:53',
      'order.csv:5982',
    ]);
    // loan 7271: account 11186, owner + disponent, the owner's junior card 1239, two orders
    assert.deepEqual(p.get('7271'), [
      'account.csv:1535',
      'card.csv:471',
      'client.csv:5351',
      'client.csv:5352',
      'disp.csv:5351',
      'disp.csv:5352',
      'district.csv:11',
      'loan.csv:293',
      'order.csv:6440',
      'order.csv:6441',
    ]);
    // totals over all loans (each account has at most one loan): 827 dispositions (and as many
    // clients) on loan accounts, 170 of their cards, 1513 orders of loan accounts
    const count = (file: string) =>
      [...p.values()].reduce((n, refs) => n + refs.filter((r) => r.startsWith(`${file}:`)).length, 0);
    assert.deepEqual(
      ['loan.csv', 'account.csv', 'district.csv', 'disp.csv', 'client.csv', 'card.csv', 'order.csv'].map(
        count,
      ),
      [682, 682, 682, 827, 827, 170, 1513],
    );
    for (const refs of p.values()) assert.deepEqual(refs, [...refs].sort());
  });

  it('single tables: german.data by row number (no header, space-separated), Taiwan by ID', () => {
    const german = expectedSingleTableProvenance(requireDataset('german_credit/german.data'), byRowNumber, {
      delimiter: ' ',
      header: false,
    });
    assert.equal(german.size, 1000);
    assert.deepEqual(german.get('0'), ['german.data:0']);
    assert.deepEqual(german.get('999'), ['german.data:999']);
    const taiwan = expectedSingleTableProvenance(
      requireDataset('taiwan_credit_default/UCI_Credit_Card.csv'),
      'ID',
    );
    assert.equal(taiwan.size, 30000);
    assert.deepEqual(taiwan.get('1'), ['UCI_Credit_Card.csv:0']);
    assert.deepEqual(taiwan.get('30000'), ['UCI_Credit_Card.csv:29999']);
    assert.throws(
      () => expectedSingleTableProvenance(requireDataset('taiwan_credit_default/UCI_Credit_Card.csv'), 'SEX'),
      /key 2 appears twice/,
    );
  });
});
