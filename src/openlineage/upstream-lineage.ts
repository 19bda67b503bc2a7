import type { IncomingDataset, IncomingEvent } from './incoming-event.js';

/** An upstream job as the graph keeps it: `(:Job {namespace, name})`. */
interface UpstreamJob {
  namespace: string;
  name: string;
  /** The run of the latest event about it (absent for a JobEvent). */
  runId: string | null;
  eventType: string | null;
  eventTime: string;
  producer: string;
}

/** A dataset as the graph keeps it, with what may match it to an ingested SourceFile. */
interface UpstreamDataset {
  namespace: string;
  name: string;
  /** Absolute path of a local file dataset (namespace `file` or `file://host`), else null. */
  path: string | null;
  /** The `datasetVersion` facet's version, when it is a sha256 (matched to SourceFile ids). */
  sha256: string | null;
}

/** What one batch of events writes: jobs, datasets and the jobs' READ/WROTE edges. */
export interface UpstreamLineage {
  jobs: UpstreamJob[];
  datasets: UpstreamDataset[];
  reads: { job: JobKey; dataset: DatasetKey }[];
  writes: { job: JobKey; dataset: DatasetKey; runId: string | null; at: string }[];
}

type JobKey = { namespace: string; name: string };
type DatasetKey = { namespace: string; name: string };

const sha256Pattern = /^[0-9a-f]{64}$/;

/**
 * Turns events into the graph's upstream lineage: each job and dataset once (a job keeps its
 * latest event by time), a READ edge per input and a WROTE edge per output. The outputs of a
 * FAIL or ABORT event were not written and make no WROTE edge; its inputs were still read.
 */
export function upstreamLineage(events: IncomingEvent[]): UpstreamLineage {
  const jobs = new Map<string, UpstreamJob>();
  const datasets = new Map<string, UpstreamDataset>();
  const reads = new Map<string, { job: JobKey; dataset: DatasetKey }>();
  const writes = new Map<string, { job: JobKey; dataset: DatasetKey; runId: string | null; at: string }>();
  const addDataset = (d: IncomingDataset): DatasetKey => {
    const key = { namespace: d.namespace, name: d.name };
    const id = JSON.stringify([d.namespace, d.name]);
    const seen = datasets.get(id);
    const found = datasetMatch(d);
    datasets.set(id, {
      ...key,
      path: found.path ?? seen?.path ?? null,
      sha256: found.sha256 ?? seen?.sha256 ?? null,
    });
    return key;
  };
  for (const e of events) {
    if (e.dataset) addDataset(e.dataset);
    if (!e.job) continue;
    const job: JobKey = { namespace: e.job.namespace, name: e.job.name };
    const jobId = JSON.stringify([job.namespace, job.name]);
    const seen = jobs.get(jobId);
    if (!seen || seen.eventTime <= e.eventTime) {
      jobs.set(jobId, {
        ...job,
        runId: e.run?.runId ?? null,
        eventType: e.eventType ?? null,
        eventTime: e.eventTime,
        producer: e.producer,
      });
    }
    for (const input of e.inputs ?? []) {
      const dataset = addDataset(input);
      reads.set(JSON.stringify([jobId, dataset.namespace, dataset.name]), { job, dataset });
    }
    const wrote = e.eventType !== 'FAIL' && e.eventType !== 'ABORT';
    for (const output of e.outputs ?? []) {
      const dataset = addDataset(output);
      if (!wrote) continue;
      writes.set(JSON.stringify([jobId, dataset.namespace, dataset.name]), {
        job,
        dataset,
        runId: e.run?.runId ?? null,
        at: e.eventTime,
      });
    }
  }
  return {
    jobs: [...jobs.values()],
    datasets: [...datasets.values()],
    reads: [...reads.values()],
    writes: [...writes.values()],
  };
}

/**
 * What may match a dataset to an ingested SourceFile: its path when it is a local file
 * (OpenLineage naming: namespace `file` or `file://{host}`, name the absolute path; a `file://`
 * URI as name is read too) and its version when the `datasetVersion` facet holds a sha256.
 */
function datasetMatch(d: IncomingDataset): { path: string | null; sha256: string | null } {
  let path: string | null = null;
  if (d.namespace === 'file' || d.namespace.startsWith('file://')) {
    const name = d.name.startsWith('file://') ? decodeURIComponent(new URL(d.name).pathname) : d.name;
    if (name.startsWith('/')) path = name;
  }
  const version = (d.facets?.version as { datasetVersion?: unknown } | undefined)?.datasetVersion;
  const sha256 =
    typeof version === 'string' && sha256Pattern.test(version.toLowerCase()) ? version.toLowerCase() : null;
  return { path, sha256 };
}
