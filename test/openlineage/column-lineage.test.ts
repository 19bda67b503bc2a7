import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../src/config.js';
import { loadPipelineSpec } from '../../src/pipeline-spec/load-pipeline-spec.js';
import type { ValidatedPipeline } from '../../src/pipeline-spec/validate-pipeline.js';
import { runTraceprop } from '../support/cli.js';
import { openLineageValidator } from '../support/openlineage-spec.js';
import { requireDataset } from '../support/require-dataset.js';

interface Transformation {
  type: string;
  subtype: string;
  description?: string;
}
interface InputField {
  namespace: string;
  name: string;
  field: string;
  transformations: Transformation[];
}
interface ColumnLineage {
  fields: Record<string, { inputFields: InputField[] }>;
  dataset?: InputField[];
}
interface Event {
  eventType: string;
  inputs: { namespace: string; name: string }[];
  outputs: { facets: { columnLineage: ColumnLineage } }[];
}

/** One use of a source column: `source.column TYPE/SUBTYPE step`. */
interface Use {
  source: string;
  type: string;
  subtype: string;
  step: string;
}

/** The uses an input field list names, with the source of each file dataset. */
function uses(fields: InputField[], sourceOfFile: Map<string, string>): Use[] {
  return fields.flatMap((f) =>
    f.transformations.map((t) => ({
      source: `${sourceOfFile.get(f.name) ?? f.name}.${f.field}`,
      type: t.type,
      subtype: t.subtype,
      step: t.description?.split(':')[0] ?? '',
    })),
  );
}

/** The steps the sample table is computed from through `input` and join `left` (its spine). */
function spine(p: ValidatedPipeline): Set<string> {
  const byId = new Map(p.spec.steps.map((s) => [s.id, s]));
  const out = new Set<string>();
  for (let at = byId.get(p.spec.sample.table); at; ) {
    out.add(at.id);
    at = byId.get(at.kind === 'join' ? at.left : at.input);
  }
  return out;
}

/**
 * Checks a `columnLineage` facet against what the pipeline file declares, read from its steps
 * (not from the lineage code): every join's key on each side is a dataset-level INDIRECT/JOIN
 * input of that step, and so is every filter column (FILTER) and group-by key (GROUP_BY); every
 * feature lists the keys and filter columns of the joins and filters on the sample table's spine,
 * the group-by keys of the aggregate whose measure it is, and its DIRECT inputs are exactly its
 * recorded source columns.
 */
function checkLineage(p: ValidatedPipeline, facet: ColumnLineage, sourceOfFile: Map<string, string>): void {
  const dataset = uses(facet.dataset ?? [], sourceOfFile);
  const fieldOf = (source: string) => source.slice(source.indexOf('.') + 1);
  const has = (list: Use[], subtype: string, step: string, field: string, what: string) =>
    assert.ok(
      list.some(
        (u) =>
          u.type === 'INDIRECT' && u.subtype === subtype && u.step === step && fieldOf(u.source) === field,
      ),
      `${what}: INDIRECT/${subtype} ${field} of step ${step}`,
    );
  assert.ok(
    dataset.every((u) => u.type === 'INDIRECT' && ['JOIN', 'FILTER', 'GROUP_BY'].includes(u.subtype)),
    'dataset-level inputs are INDIRECT joins, filters and group-bys',
  );
  const onSpine = spine(p);
  const spineChecks: { subtype: string; step: string; field: string }[] = [];
  p.spec.steps.forEach((step, index) => {
    if (step.kind === 'join') {
      for (const pair of step.on) {
        const [l, r] = typeof pair === 'string' ? [pair, pair] : [pair.left, pair.right];
        const joins = dataset.filter((u) => u.subtype === 'JOIN' && u.step === step.id);
        assert.ok(
          joins.some((u) => fieldOf(u.source) === l) && joins.some((u) => fieldOf(u.source) === r),
          `dataset: join keys ${l} and ${r} of ${step.id}`,
        );
        if (l === r)
          assert.ok(
            new Set(joins.filter((u) => fieldOf(u.source) === l).map((u) => u.source)).size >= 2,
            `dataset: join key ${l} of ${step.id} on both sides`,
          );
        if (onSpine.has(step.id))
          spineChecks.push(
            { subtype: 'JOIN', step: step.id, field: l },
            { subtype: 'JOIN', step: step.id, field: r },
          );
      }
    }
    if (step.kind === 'filter') {
      const read = p.expressions.find(
        (e) => JSON.stringify(e.path) === JSON.stringify(['steps', index, 'where']),
      );
      assert.ok(read && read.expression.columns.length > 0, `${step.id} reads columns`);
      for (const c of read.expression.columns) {
        has(dataset, 'FILTER', step.id, c, 'dataset');
        if (onSpine.has(step.id)) spineChecks.push({ subtype: 'FILTER', step: step.id, field: c });
      }
    }
    if (step.kind === 'aggregate') {
      for (const b of step.by) has(dataset, 'GROUP_BY', step.id, b, 'dataset');
      for (const measure of Object.keys(step.measures))
        if (p.spec.sample.features.includes(measure)) {
          const list = uses(facet.fields[measure].inputFields, sourceOfFile);
          for (const b of step.by) has(list, 'GROUP_BY', step.id, b, `feature ${measure}`);
        }
    }
  });
  for (const feature of p.spec.sample.features) {
    const list = uses(facet.fields[feature]?.inputFields ?? [], sourceOfFile);
    for (const c of spineChecks) has(list, c.subtype, c.step, c.field, `feature ${feature}`);
    assert.deepEqual(
      [...new Set(list.filter((u) => u.type === 'DIRECT').map((u) => u.source))].sort(),
      [...p.featureSources[feature]].sort(),
      `DIRECT inputs of ${feature}`,
    );
  }
  assert.ok(spineChecks.length > 0, 'the sample table has joins or filters on its spine');
}

describe('OpenLineage column lineage: DIRECT and INDIRECT inputs of every feature, dataset-level joins, filters and group-bys', function () {
  this.timeout(300_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-ol-cl-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** Ingests a shipped pipeline with the file transport; its COMPLETE's columnLineage, checked valid. */
  async function ingestLineage(name: string, data: string) {
    const file = path.join(tmp, `${name}.jsonl`);
    const pipelineFile = path.join(packageRoot, 'pipelines', `${name}.yaml`);
    (
      await runTraceprop(['ingest', pipelineFile, '--data', requireDataset(data), '--json'], {
        env: { TRACEPROP_OPENLINEAGE_TRANSPORT: 'file', TRACEPROP_OPENLINEAGE_FILE: file },
      })
    ).ok();
    const events = fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as Event);
    assert.deepEqual(
      events.map((e) => e.eventType),
      ['START', 'COMPLETE'],
    );
    const validator = openLineageValidator();
    for (const e of events) assert.deepEqual(validator.problems(e), [], `${name} ${e.eventType}`);
    const pipeline = loadPipelineSpec(pipelineFile);
    const complete = events[1];
    const sourceOfFile = new Map(complete.inputs.map((d, i) => [d.name, pipeline.spec.sources[i].name]));
    return { pipeline, facet: complete.outputs[0].facets.columnLineage, sourceOfFile };
  }

  it('credit-risk: the application filter, the joins on SK_ID_CURR on both sides and the bureau and previous-application group-bys; conditions', async () => {
    const { pipeline, facet, sourceOfFile } = await ingestLineage('credit-risk', 'home_credit_sample');
    checkLineage(pipeline, facet, sourceOfFile);
    const of = (feature: string) => uses(facet.fields[feature].inputFields, sourceOfFile);
    // EMPLOYED_YEARS: if(DAYS_EMPLOYED != 365243, …) reads DAYS_EMPLOYED in its value and its condition.
    assert.ok(
      of('EMPLOYED_YEARS').some(
        (u) =>
          u.source === 'application.DAYS_EMPLOYED' && u.subtype === 'CONDITIONAL' && u.step === 'derived',
      ),
    );
    // BUREAU_ACTIVE_COUNT sums IS_ACTIVE, an if on CREDIT_ACTIVE; a sum is an aggregation.
    const active = of('BUREAU_ACTIVE_COUNT');
    assert.ok(active.some((u) => u.source === 'bureau.CREDIT_ACTIVE' && u.subtype === 'CONDITIONAL'));
    assert.ok(active.some((u) => u.source === 'bureau.CREDIT_ACTIVE' && u.subtype === 'AGGREGATION'));
    // An application column is not grouped by the bureau's key.
    assert.ok(!of('AMT_CREDIT').some((u) => u.subtype === 'GROUP_BY'));

    // The check fails when a join key, a filter column or a group-by key is missing.
    for (const [subtype, source] of [
      ['JOIN', 'bureau.SK_ID_CURR'],
      ['FILTER', 'application.TARGET'],
      ['GROUP_BY', 'previous_application.SK_ID_CURR'],
    ]) {
      const without = structuredClone(facet);
      const drop = (fields: InputField[]) =>
        fields.map((f) => ({
          ...f,
          transformations: f.transformations.filter(
            (t) => !(t.subtype === subtype && `${sourceOfFile.get(f.name)}.${f.field}` === source),
          ),
        }));
      without.dataset = drop(without.dataset ?? []);
      assert.throws(() => checkLineage(pipeline, without, sourceOfFile), `without ${subtype} ${source}`);
    }
  });

  it('berka-loans: the joins of loans with account, district, people, cards and orders (keys on both sides), the group-bys per account, share and if conditions', async () => {
    const { pipeline, facet, sourceOfFile } = await ingestLineage('berka-loans', 'berka_czech_financial');
    checkLineage(pipeline, facet, sourceOfFile);
    const of = (feature: string) => uses(facet.fields[feature].inputFields, sourceOfFile);
    // loan_district joins on district_id = A1: the account's column and the district's.
    const district = (facet.dataset ?? []).filter((f) =>
      f.transformations.some((t) => t.description?.startsWith('loan_district:')),
    );
    assert.deepEqual(district.map((f) => `${sourceOfFile.get(f.name)}.${f.field}`).sort(), [
      'account.district_id',
      'district.A1',
    ]);
    // sipo_share is a share where k_symbol == 'SIPO'; best_card the max of an if on the card type.
    assert.ok(of('sipo_share').some((u) => u.source === 'order.k_symbol' && u.subtype === 'CONDITIONAL'));
    assert.ok(of('best_card').some((u) => u.source === 'card.type' && u.subtype === 'CONDITIONAL'));
    // Cards reach an account through the inner join with disp: its keys shape best_card.
    assert.ok(of('best_card').some((u) => u.source === 'card.disp_id' && u.subtype === 'JOIN'));
    assert.ok(!(facet.dataset ?? []).some((f) => f.transformations.some((t) => t.subtype === 'CONDITIONAL')));
  });
});
