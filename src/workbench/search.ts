import neo4j from 'neo4j-driver';
import { z } from 'zod';
import type { GraphClient } from '../graph/connection.js';
import { cypherText } from '../graph/cypher-library.js';
import { runReadQuery } from '../graph/read-query.js';
import { workbenchLinks as link } from './workbench-links.js';
import { limitParam } from './workbench-params.js';
import type { WorkbenchQuery } from './workbench-query.js';

/** What a hit is. */
type SearchKind = 'prediction' | 'sample' | 'source-row' | 'run' | 'model' | 'erasure';

/** One search hit: what it is, its id, a line to show, and the routes that open it. */
interface SearchHit {
  kind: SearchKind;
  id: string;
  label: string;
  links: Record<string, string>;
}

/** A hit as cypher/workbench/search.cypher returns it (the facts its label is made of). */
interface RawHit {
  kind: SearchKind;
  id: string;
  [fact: string]: unknown;
}

const params = z.object({
  q: z.string().trim().min(1).max(512),
  limit: limitParam(20, 100),
});

/** `<file name>:<row>`, `<file name>#<row>` or `<file name> row <row>`: a row of a file by name. */
const fileRowPattern = /^(.+?)(?::|#|\s+row\s+)(\d{1,12})$/;

/**
 * The search box: finds `q` as a business key (source rows, samples and the predictions of
 * those samples), a data subject id, an id of a prediction, sample, source row, run, model or
 * erasure, or a row of a file (`application.csv:3`). Exact id hits first, then predictions,
 * samples and source rows by key, then rows by subject; at most `limit` hits in all
 * (`truncated` when more were found). Erased rows keep no key: only their id finds them.
 */
export const search: WorkbenchQuery<z.output<typeof params>> = {
  name: 'search',
  path: '/api/search',
  summary: 'Find predictions, samples, source rows, runs, models and erasures by business key, subject or id',
  params,
  async run(client: GraphClient, { q, limit }) {
    const fileRow = fileRowPattern.exec(q);
    const records = await runReadQuery(client, cypherText('workbench', 'search'), {
      q,
      fileName: fileRow ? fileRow[1].trim() : null,
      row: fileRow ? neo4j.int(fileRow[2]) : null,
      limit: neo4j.int(limit + 1),
    });
    const seen = new Set<string>();
    const hits: SearchHit[] = [];
    for (const record of records) {
      for (const raw of record.hits as RawHit[]) {
        const key = `${raw.kind}\u0000${raw.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        hits.push(toHit(raw));
      }
    }
    return { q, results: hits.slice(0, limit), truncated: hits.length > limit };
  },
};

function toHit(raw: RawHit): SearchHit {
  const { kind, id } = raw;
  const text = (name: string) => (raw[name] === null || raw[name] === undefined ? null : String(raw[name]));
  switch (kind) {
    case 'prediction': {
      const links: Record<string, string> = {
        trace: link.predictionTrace(id),
        model: link.modelVersions(String(raw.modelId)),
      };
      if (raw.sampleId) links.sample = link.sampleSources(String(raw.sampleId));
      return {
        kind,
        id,
        label: `prediction ${text('score') ?? '?'} by model ${raw.modelId} (version ${text('modelVersion') ?? '?'}, ${text('modelStatus') ?? 'no status'}) for sample ${text('key') ?? text('sampleId') ?? '?'}`,
        links,
      };
    }
    case 'sample':
      return {
        kind,
        id,
        label: `${text('split') ?? ''} sample${raw.key ? ` ${raw.key}` : ''} of run ${raw.runId}`.trim(),
        links: { sources: link.sampleSources(id), run: link.run(String(raw.runId)) },
      };
    case 'source-row': {
      const erased = Boolean(raw.erased);
      const key = erased || raw.key === null ? '' : ` (${text('keyColumn') ?? 'key'} ${raw.key})`;
      const subject = raw.subjectName ? ` (data subject: ${raw.subjectName})` : '';
      return {
        kind,
        id,
        label: `${raw.file} row ${raw.row}${key}${subject}${erased ? ' (erased)' : ''}`,
        links: { impact: link.sourceRowImpact(id) },
      };
    }
    case 'run':
      return {
        kind,
        id,
        label: `run of ${text('pipeline') ?? '?'} (${text('status') ?? '?'})`,
        links: { summary: link.run(id), dag: link.runDag(id) },
      };
    case 'model':
      return {
        kind,
        id,
        label: `model version ${text('modelVersion') ?? '?'} (${text('modelStatus') ?? 'no status'})`,
        links: { versions: link.modelVersions(id) },
      };
    case 'erasure':
      return {
        kind,
        id,
        label: `erasure request (${text('mode') ?? '?'}, ${text('status') ?? '?'})`,
        links: { erasure: link.erasure(id) },
      };
  }
}
