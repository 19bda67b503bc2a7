/**
 * Sandboxed processor of the `attribution` queue: BullMQ forks a child that imports this file
 * (compiled: `dist/src/queue/processors/attribution.js`) and calls its default export per job.
 */
import { runAttributionJob } from '../../jobs/attribution/run-attribution-job.js';
import { attributionPayloadSchema } from '../../jobs/job-payloads.js';
import { defineProcessor } from '../define-processor.js';

export default defineProcessor({
  kind: 'attribution',
  schema: attributionPayloadSchema,
  handle: runAttributionJob,
});
