import { z } from 'zod';

const facets = z.record(z.string(), z.unknown());

/** A dataset as an event names it (inputs, outputs, or the dataset of a DatasetEvent). */
const datasetSchema = z
  .object({
    namespace: z.string().min(1).max(2000),
    name: z.string().min(1).max(4000),
    facets: facets.optional(),
    inputFacets: facets.optional(),
    outputFacets: facets.optional(),
  })
  .passthrough();

/**
 * An OpenLineage event read in (RunEvent, JobEvent or DatasetEvent of the 2-0-x specification):
 * checked for what Traceprop writes into the graph; other fields and facets pass through and are
 * ignored. Event types RUNNING, ABORT and OTHER are accepted like the rest.
 */
export const incomingEventSchema = z
  .object({
    eventType: z.enum(['START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER']).optional(),
    eventTime: z.string().datetime({ offset: true }),
    producer: z.string().min(1).max(2000),
    schemaURL: z.string().min(1).max(2000),
    run: z.object({ runId: z.string().uuid(), facets: facets.optional() }).passthrough().optional(),
    job: z
      .object({
        namespace: z.string().min(1).max(2000),
        name: z.string().min(1).max(4000),
        facets: facets.optional(),
      })
      .passthrough()
      .optional(),
    dataset: datasetSchema.optional(),
    inputs: z.array(datasetSchema).max(10_000).optional(),
    outputs: z.array(datasetSchema).max(10_000).optional(),
  })
  .passthrough()
  .refine((e) => e.job !== undefined || e.dataset !== undefined, {
    message: 'an event names a job (RunEvent, JobEvent) or a dataset (DatasetEvent)',
  });

/** A validated incoming event. */
export type IncomingEvent = z.output<typeof incomingEventSchema>;

/** A dataset of an incoming event. */
export type IncomingDataset = z.output<typeof datasetSchema>;
