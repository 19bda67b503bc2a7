import { NotFoundError } from '../../errors.js';
import type { GraphClient } from '../connection.js';
import { cypherText } from '../cypher-library.js';
import { runReadQuery } from '../read-query.js';

/** A sample derived from a source row. */
interface DependentSample {
  id: string;
  index: number;
  split: 'train' | 'test';
  key: string | null;
  label: number | null;
}

/** A model trained on a run. */
interface DependentModel {
  id: string;
  version: unknown;
  kind: string | null;
  status: string | null;
}

/** A run depending on a source row. */
interface DependentRun {
  id: string;
  pipeline: string;
  mode: 'op' | 'row';
  status: string;
  /** `row`: samples derive from the row; `file`: an op-mode run that read the row's file. */
  via: 'row' | 'file';
  samples: DependentSample[];
  models: DependentModel[];
}

/** What depends on one source row. */
export interface RowDescendants {
  sourceRow: { id: string; row: number; key: string | null; erased: boolean };
  file: { id: string; name: string; table: string };
  runs: DependentRun[];
}

/**
 * Impact analysis of a source row (cypher/queries/descendants.cypher): the runs that depend on
 * it, the samples derived from it, the models trained on those runs. Throws `graph.notFound`
 * when there is no such source row.
 */
export async function descendants(client: GraphClient, sourceRowId: string): Promise<RowDescendants> {
  const records = await runReadQuery(client, cypherText('queries', 'descendants'), { sourceRowId });
  if (records.length === 0) {
    throw new NotFoundError(
      'graph.notFound',
      `no SourceRow with id ${JSON.stringify(sourceRowId)} (source row ids look like <file sha256>:<row>)`,
    );
  }
  const r = records[0];
  const row = r.sourceRow as Record<string, unknown>;
  return {
    sourceRow: {
      id: row.id as string,
      row: row.row as number,
      key: (row.key as string | null) ?? null,
      erased: Boolean(row.erased),
    },
    file: r.file as RowDescendants['file'],
    runs: r.runs as DependentRun[],
  };
}
