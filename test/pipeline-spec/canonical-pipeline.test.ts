import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { packageRoot } from '../../src/config.js';
import { canonicalPipeline } from '../../src/pipeline-spec/canonical-pipeline.js';
import { loadPipelineSpec, parsePipelineSpec } from '../../src/pipeline-spec/load-pipeline-spec.js';
import { mini, miniPipeline } from './mini-pipeline.js';

const fixtures = path.join(packageRoot, 'test', 'fixtures', 'pipelines');

/** The definition of a pipeline given as text. */
const definitionOf = (text: string) => canonicalPipeline(parsePipelineSpec(text, 'p.yaml').spec);

/** The keys of every fixed-shape mapping in a parsed canonical text, with where they are. */
function fieldOrders(value: unknown, at = '$'): [string, string[]][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => fieldOrders(v, `${at}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  const keys = Object.keys(value);
  const nested = Object.entries(value).flatMap(([k, v]) => fieldOrders(v, `${at}.${k}`));
  // Name-keyed maps keep the written order: leave them out.
  return /\.(columns|measures)$/.test(at) ? nested : [[at, keys], ...nested];
}

describe('pipeline files: canonical text and sha256', () => {
  it('gives a YAML file and its JSON twin (other field order, defaults spelt out) one text and hash', () => {
    const yaml = canonicalPipeline(loadPipelineSpec(path.join(fixtures, 'small-loans.yaml')).spec);
    const json = canonicalPipeline(loadPipelineSpec(path.join(fixtures, 'small-loans.json')).spec);
    assert.equal(yaml.name, 'small-loans');
    assert.equal(json.text, yaml.text);
    assert.equal(json.sha256, yaml.sha256);
    assert.equal(yaml.sha256, createHash('sha256').update(Buffer.from(yaml.text, 'utf8')).digest('hex'));
    // JSON without whitespace: re-serialising the parsed text gives it back byte for byte.
    const parsed = JSON.parse(yaml.text);
    assert.equal(JSON.stringify(parsed), yaml.text);
    // Defaults are in the text even though the YAML leaves them out.
    assert.deepEqual(parsed.sources[1].csv, {
      delimiter: ',',
      encoding: 'utf-8',
      header: true,
      missing: [''],
      quote: '"',
    });
    assert.deepEqual(
      [parsed.steps[1].how, parsed.steps[1].suffix, parsed.steps[3].max_categories, parsed.steps[4].seed],
      ['inner', '_right', 12, 7],
    );
    // Every fixed-shape mapping has its fields sorted; lists keep their order.
    for (const [at, keys] of fieldOrders(parsed)) assert.deepEqual(keys, [...keys].sort(), at);
    assert.deepEqual(
      parsed.steps.map((s: { id: string }) => s.id),
      ['big', 'with_account', 'feats', 'encoded', 'split'],
    );
    assert.deepEqual(parsed.sample.features, ['log_amount', 'big_loan', 'frequency']);
  });

  it('ignores comments, field order, flow vs block style and defaults spelt out', () => {
    const base = definitionOf(miniPipeline);
    const variants = [
      // `name` before `format`, a comment line.
      mini(
        'format: traceprop.pipeline/1\nname: mini\n',
        '# the mini pipeline\nname: mini\nformat: traceprop.pipeline/1\n',
      ),
      // A step's fields in another order.
      mini(
        '  - id: big\n    kind: filter\n    input: loan\n    where: amount > 1000\n',
        '  - where: amount > 1000   # keep the big loans\n    input: loan\n    kind: filter\n    id: big\n',
      ),
      // The dialect in block style with its defaults spelt out, in another order.
      mini(
        'csv: { delimiter: ";" }',
        'csv:\n      missing: [""]\n      header: true\n      delimiter: ";"\n      quote: \'"\'\n      encoding: utf-8',
      ),
      // A join's defaults spelt out.
      mini(
        '    cardinality: many-to-one\n',
        '    cardinality: many-to-one\n    how: inner\n    suffix: _right\n',
      ),
      // The label's list in flow style with other quotes.
      mini("label: status in ['B', 'D']", "label: \"status in ['B', 'D']\""),
    ];
    for (const text of variants) {
      const d = definitionOf(text);
      assert.equal(d.text, base.text, text);
      assert.equal(d.sha256, base.sha256);
    }
  });

  it('changes the hash with any change to what the pipeline does', () => {
    const base = definitionOf(miniPipeline);
    const changed = [
      mini('where: amount > 1000', 'where: amount > 2000'),
      mini('log_amount: log(amount)', 'log_amount: log(amount + 1)'),
      mini('    cardinality: many-to-one\n', '    cardinality: many-to-one\n    how: left\n'),
      mini('csv: { delimiter: ";" }', 'csv: { delimiter: ";", missing: ["", "?"] }'),
      mini('name: mini', 'name: mini2'),
      mini("label: status in ['B', 'D']", "label: status in ['B']"),
      mini('features: [log_amount]', 'features: [log_amount, amount]'),
    ];
    const hashes = new Set([base.sha256]);
    for (const text of changed) {
      const d = definitionOf(text);
      assert.notEqual(d.sha256, base.sha256, text);
      hashes.add(d.sha256);
    }
    assert.equal(hashes.size, changed.length + 1, 'every change gives its own hash');
    assert.equal(definitionOf(changed[4]).name, 'mini2');
  });

  it('keeps the written order of name-keyed maps: a headerless file is read in that order', () => {
    const headerless = mini('csv: { delimiter: ";" }', 'csv: { delimiter: ";", header: false }');
    const swapped = headerless.replace(
      '      loan_id: integer\n      account_id: integer\n',
      '      account_id: integer\n      loan_id: integer\n',
    );
    assert.notEqual(swapped, headerless);
    const a = definitionOf(headerless);
    const b = definitionOf(swapped);
    assert.notEqual(a.sha256, b.sha256);
    assert.deepEqual(Object.keys(JSON.parse(b.text).sources[0].columns).slice(0, 2), [
      'account_id',
      'loan_id',
    ]);
  });
});
