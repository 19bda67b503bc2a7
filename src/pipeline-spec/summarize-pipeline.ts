import { stepInputs } from './step-graph.js';
import type { SubjectSpec } from './subject-schema.js';
import type { ValidatedPipeline } from './validate-pipeline.js';

/** What `traceprop pipeline validate --json` prints. */
export interface PipelineSummary {
  name: string;
  format: string;
  sources: { name: string; path: string; columns: number; key?: string }[];
  /** Steps in run order. */
  steps: { id: string; kind: string; inputs: string[] }[];
  sample: { table: string; key: string; label: string; labelType: string };
  /** Each feature and the source columns it comes from. */
  features: Record<string, readonly string[]>;
  /** The data subject, when declared: its name and how each listed source reaches it. */
  subject?: { name: string; sources: Record<string, string> };
}

/** A plain summary of a validated pipeline (sources, steps in run order, sample, feature lineage). */
export function summarizePipeline(p: ValidatedPipeline): PipelineSummary {
  const byId = new Map(p.spec.steps.map((s) => [s.id, s]));
  return {
    name: p.spec.name,
    format: p.spec.format,
    sources: p.spec.sources.map((s) => ({
      name: s.name,
      path: s.path,
      columns: Object.keys(s.columns).length,
      ...(s.key === undefined ? {} : { key: s.key }),
    })),
    steps: p.order.map((id) => {
      const s = byId.get(id)!;
      return { id, kind: s.kind, inputs: stepInputs(s).map((i) => i.name) };
    }),
    sample: {
      table: p.spec.sample.table,
      key: p.spec.sample.key,
      label: p.spec.sample.label,
      labelType: p.label.type,
    },
    features: p.featureSources,
    ...(p.spec.subject ? { subject: subjectSummary(p.spec.subject) } : {}),
  };
}

/** Each subject source as `column` or `via.column (on a = b)`. */
function subjectSummary(subject: SubjectSpec): NonNullable<PipelineSummary['subject']> {
  const sources: Record<string, string> = {};
  for (const [name, how] of Object.entries(subject.sources)) {
    const on = Object.entries(how.on ?? {})
      .map(([a, b]) => `${name}.${a} = ${how.via}.${b}`)
      .join(', ');
    sources[name] = how.via === undefined ? how.column : `${how.via}.${how.column} (on ${on})`;
  }
  return { name: subject.name, sources };
}
