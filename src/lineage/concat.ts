import { UsageError } from '../errors.js';
import { type Column, categoryColumn, numberColumn, unionSources } from './column.js';
import { concatProvenance } from './csr.js';
import { Frame } from './frame.js';

/**
 * Stacks frames with the same column names (and kinds) one after another. Categorical
 * dictionaries are merged by text. Provenance: each row keeps its own.
 */
export function concat(frames: readonly Frame[], options: { name?: string } = {}): Frame {
  const name = options.name ?? 'concat';
  if (frames.length === 0)
    throw new UsageError('lineage.badConcat', `concat "${name}": expected at least one frame, got none`);
  const first = frames[0];
  const names = first.names;
  for (const f of frames) {
    if (f.pipeline !== first.pipeline)
      throw new UsageError('lineage.foreignFrame', `concat "${name}": frames belong to different pipelines`);
    const other = f.names;
    if (other.length !== names.length || other.some((n) => !first.has(n))) {
      throw new UsageError(
        'lineage.badConcat',
        `concat "${name}": expected columns ${names.join(', ')}, got ${other.join(', ')}`,
      );
    }
  }
  let rows = 0;
  for (const f of frames) rows += f.rows;
  const columns = new Map<string, Column>();
  for (const col of names) {
    const parts = frames.map((f) => f.column(col));
    const kind = parts[0].kind;
    if (parts.some((c) => c.kind !== kind)) {
      throw new UsageError(
        'lineage.columnType',
        `concat "${name}", column "${col}": expected the same kind in every frame, got ${parts.map((c) => c.kind).join(', ')}`,
      );
    }
    const sources = unionSources(parts.map((c) => c.sources));
    if (kind === 'number') {
      const out = new Float64Array(rows);
      let at = 0;
      for (const c of parts) {
        const v = (c as { values: Float64Array }).values;
        out.set(v, at);
        at += v.length;
      }
      columns.set(col, numberColumn(out, sources));
    } else {
      const dict: string[] = [];
      const index = new Map<string, number>();
      const out = new Int32Array(rows);
      let at = 0;
      for (const c of parts) {
        if (c.kind !== 'category') continue;
        const remap = c.dictionary.map((s) => {
          let d = index.get(s);
          if (d === undefined) {
            d = dict.length;
            dict.push(s);
            index.set(s, d);
          }
          return d;
        });
        for (let i = 0; i < c.codes.length; i++) out[at + i] = c.codes[i] < 0 ? -1 : remap[c.codes[i]];
        at += c.codes.length;
      }
      columns.set(col, categoryColumn(out, dict, sources));
    }
  }
  const p = first.pipeline;
  const opId = p.tracksOps ? p.record('concat', name, { rows: frames.map((f) => f.rows) }, frames) : '';
  const provs = frames.map((f) => f.provenance);
  return new Frame({
    pipeline: p,
    opId,
    rows,
    columns,
    provenance: provs.every((x) => x !== undefined)
      ? concatProvenance(provs as NonNullable<(typeof provs)[number]>[])
      : undefined,
  });
}
