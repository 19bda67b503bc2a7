import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runReadQuery } from '../../src/graph/read-query.js';
import { runTraceprop } from '../support/cli.js';
import { useCleanGraph } from '../support/graph.js';
import {
  openLineageValidator,
  specExampleEvents,
  specExampleNamespace,
} from '../support/openlineage-spec.js';
import { testServices } from '../support/services.js';

describe('OpenLineage: the example events of the specification (spec/tests) import into the graph', function () {
  this.timeout(180_000);
  const graph = useCleanGraph();
  const examples = specExampleEvents();

  it('finds the whole example events and every facet example, each placed where its schema says, all valid', () => {
    assert.ok(
      examples.some((e) => e.whole),
      'spec/tests has a whole example event (example_full_event.json)',
    );
    const facets = examples.filter((e) => !e.whole);
    assert.ok(facets.length >= 40, `${facets.length} facet examples`);
    const validator = openLineageValidator();
    for (const e of examples) assert.deepEqual(validator.problems(e.event), [], e.file);
    // The slots come from the schemas: a run, a job, a dataset, an input and an output facet.
    type Slotted = {
      run: { facets: object };
      job: { facets: object };
      inputs: { facets: object; inputFacets: object }[];
      outputs: { outputFacets: object }[];
    };
    const slotted = (file: string) => facets.find((e) => e.file === file)?.event as unknown as Slotted;
    assert.ok('errorMessage' in slotted('ErrorMessageRunFacet/1.json').run.facets);
    assert.ok('sql' in slotted('SQLJobFacet/1.json').job.facets);
    assert.ok(
      'lineage' in slotted('LineageFacet/job-to-job.json').job.facets,
      'its _schemaURL: LineageJobFacet',
    );
    assert.ok('lineage' in slotted('LineageFacet/dataset-to-dataset.json').inputs[0].facets);
    assert.ok('columnLineage' in slotted('ColumnLineageDatasetFacet/1.json').inputs[0].facets);
    assert.ok(
      'dataQualityMetrics' in slotted('DataQualityMetricsInputDatasetFacet/1.json').inputs[0].inputFacets,
    );
    assert.ok(
      'outputStatistics' in slotted('OutputStatisticsOutputDatasetFacet/1.json').outputs[0].outputFacets,
    );
  });

  it('`traceprop openlineage import` takes them all in one file: one Job per example with its run, its datasets and their READ/WROTE edges', async () => {
    const file = path.join(fs.mkdtempSync(path.join(testServices().home, 'ol-spec-')), 'examples.jsonl');
    fs.writeFileSync(file, `${examples.map((e) => JSON.stringify(e.event)).join('\n')}\n`);
    const imported = (await runTraceprop(['openlineage', 'import', file, '--json']))
      .ok()
      .json<Record<string, unknown>>();
    const key = (d: { namespace: string; name: string }) => JSON.stringify([d.namespace, d.name]);
    const jobs = new Set(examples.map((e) => key(e.event.job)));
    const datasets = new Set(
      examples
        .flatMap((e) => [
          ...(e.event.inputs ?? []),
          ...(e.event.outputs ?? []),
          ...(e.event.dataset ? [e.event.dataset] : []),
        ])
        .map(key),
    );
    const reads = examples.flatMap((e) => (e.event.inputs ?? []).map((d) => key(e.event.job) + key(d)));
    const writes = examples.flatMap((e) =>
      ['FAIL', 'ABORT'].includes(e.event.eventType)
        ? []
        : (e.event.outputs ?? []).map((d) => key(e.event.job) + key(d)),
    );
    assert.deepEqual(imported, {
      source: file,
      events: examples.length,
      jobs: jobs.size,
      datasets: datasets.size,
      reads: new Set(reads).size,
      writes: new Set(writes).size,
      linkedFiles: 0,
    });

    // In the graph: every example's job with its run id and event type, its inputs READ and
    // its outputs WROTE; the full event's `dataset` as a Dataset.
    const rows = await runReadQuery(
      graph(),
      `MATCH (j:Job)
       OPTIONAL MATCH (j)-[:READ]->(r:Dataset)
       OPTIONAL MATCH (j)-[:WROTE]->(w:Dataset)
       RETURN j.namespace AS namespace, j.name AS name, j.lastRunId AS runId, j.lastEventType AS type,
              collect(DISTINCT [r.namespace, r.name]) AS reads, collect(DISTINCT [w.namespace, w.name]) AS writes`,
    );
    assert.equal(rows.length, jobs.size);
    const pairs = (list: unknown) =>
      (list as (string | null)[][])
        .filter((p) => p[0] !== null)
        .map((p) => JSON.stringify(p))
        .sort();
    for (const { file, event } of examples) {
      const job = rows.find((r) => r.namespace === event.job.namespace && r.name === event.job.name);
      assert.ok(job, `${file}: Job ${event.job.namespace}/${event.job.name}`);
      assert.deepEqual([job.runId, job.type], [event.run.runId, event.eventType], file);
      assert.deepEqual(pairs(job.reads), (event.inputs ?? []).map(key).sort(), `${file}: READ`);
      assert.deepEqual(pairs(job.writes), (event.outputs ?? []).map(key).sort(), `${file}: WROTE`);
    }
    const named = await runReadQuery(
      graph(),
      'MATCH (d:Dataset) WHERE d.namespace <> $ns RETURN d.namespace AS namespace, d.name AS name',
      { ns: specExampleNamespace },
    );
    assert.deepEqual(
      named.map((d) => key(d as { namespace: string; name: string })).sort(),
      [...datasets].filter((d) => JSON.parse(d)[0] !== specExampleNamespace).sort(),
      'the whole events’ datasets',
    );
    assert.ok(named.length > 0, 'the full example event names a dataset');
  });
});
