import fs from 'node:fs';
import path from 'node:path';
import { describeStep } from './describe-step.js';
import { stepInputs } from './step-graph.js';
import type { ValidatedPipeline } from './validate-pipeline.js';

/** A source of an explained pipeline: the file it would read and whether that file is there. */
interface ExplainedSource {
  name: string;
  /** The path as the pipeline file declares it. */
  path: string;
  /** The file that would be read: `path` resolved against the data folder. */
  file: string;
  /** Whether `file` exists (a regular file). */
  exists: boolean;
  /** The declared columns, in order. */
  columns: string[];
  /** The business-key column, or null. */
  key: string | null;
  /** The row-number column (`row_key`), or null. */
  rowKey: string | null;
  /** Whether the sample is computed from it (directly or through steps). */
  feedsSample: boolean;
}

/** A step of an explained pipeline, in run order. */
interface ExplainedStep {
  id: string;
  kind: string;
  /** Source names or step ids it reads (a join: left, then right). */
  inputs: string[];
  /** One line saying what it does. */
  summary: string;
  /** Whether the sample is computed from it. */
  feedsSample: boolean;
}

/** What `traceprop pipeline explain --json` prints (every key is always present). */
export interface PipelineExplanation {
  pipeline: string;
  format: string;
  description: string | null;
  /** The pipeline file as given. */
  file: string;
  /** The absolute folder source paths are resolved against. */
  dataDir: string;
  sources: ExplainedSource[];
  /** Steps in run order (each after its inputs). */
  steps: ExplainedStep[];
  sample: { table: string; key: string; label: string; labelType: string; features: string[] };
  /** Column-level lineage of each feature, in `sample.features` order. */
  features: { name: string; onehot: boolean; sources: string[] }[];
  /** The files of `sources` that do not exist. */
  missingFiles: string[];
}

/**
 * Explains a validated pipeline without reading data: its sources and the files they would read
 * (resolved against `dataDir`, default the pipeline file's folder, each marked present or
 * missing), its steps in run order with their inputs and a one-line summary, the sample, and the
 * source columns (`source.column`) of each feature.
 *
 * @example
 * const e = explainPipeline(loadPipelineSpec('pipelines/berka-loans.yaml'), 'pipelines/berka-loans.yaml', '../shared/datasets/berka_czech_financial');
 * e.features.find((f) => f.name === 'owner_age')?.sources; // ['client.birth_number', 'disp.type', 'loan.date']
 */
export function explainPipeline(p: ValidatedPipeline, file: string, dataDir?: string): PipelineExplanation {
  const dir = path.resolve(dataDir ?? path.dirname(file));
  const byId = new Map(p.spec.steps.map((s) => [s.id, s]));
  const used = upstreamOf(p, p.spec.sample.table);
  const afterSplit = (id: string) =>
    [...upstreamOf(p, id)].some((u) => u !== id && byId.get(u)?.kind === 'split');
  const sources = p.spec.sources.map((s): ExplainedSource => {
    const resolved = path.resolve(dir, s.path);
    return {
      name: s.name,
      path: s.path,
      file: resolved,
      exists: fs.statSync(resolved, { throwIfNoEntry: false })?.isFile() ?? false,
      columns: Object.keys(s.columns),
      key: s.key ?? null,
      rowKey: s.row_key ?? null,
      feedsSample: used.has(s.name),
    };
  });
  const table = p.tables.get(p.spec.sample.table)!;
  return {
    pipeline: p.spec.name,
    format: p.spec.format,
    description: p.spec.description ?? null,
    file,
    dataDir: dir,
    sources,
    steps: p.order.map((id) => {
      const s = byId.get(id)!;
      return {
        id,
        kind: s.kind,
        inputs: stepInputs(s).map((i) => i.name),
        summary: describeStep(s, afterSplit(id)),
        feedsSample: used.has(id),
      };
    }),
    sample: {
      table: p.spec.sample.table,
      key: p.spec.sample.key,
      label: p.spec.sample.label,
      labelType: p.label.type,
      features: [...p.spec.sample.features],
    },
    features: p.spec.sample.features.map((name) => ({
      name,
      onehot: table.get(name)?.onehot === true,
      sources: [...(p.featureSources[name] ?? [])],
    })),
    missingFiles: sources.filter((s) => !s.exists).map((s) => s.file),
  };
}

/** The ids (sources and steps) that `id` is computed from, `id` included. */
function upstreamOf(p: ValidatedPipeline, id: string): Set<string> {
  const byId = new Map(p.spec.steps.map((s) => [s.id, s]));
  const seen = new Set<string>();
  const stack = [id];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    const step = byId.get(next);
    if (step) for (const { name } of stepInputs(step)) stack.push(name);
  }
  return seen;
}
