import { z } from 'zod';
import { attributionMethods } from '../attribution/attribution-method.js';
import { hasCode, NotFoundError } from '../errors.js';
import type { GraphClient } from '../graph/connection.js';
import { type PredictionTrace, tracePrediction } from '../graph/queries/trace-prediction.js';
import { idParam, limitParam } from './workbench-params.js';
import type { WorkbenchQuery } from './workbench-query.js';

const params = z.object({
  id: idParam,
  k: limitParam(10, 100),
  method: z.enum(attributionMethods).optional(),
});

/**
 * "Why this prediction?" — exactly what `traceprop trace ID --top K --json` returns
 * ({@link tracePrediction}, cypher/queries/trace-prediction.cypher): the prediction, its model
 * and sample, the top `k` training samples by rank with their scores and source rows (file, row,
 * key; an erased row is its skeleton: `erased: true`, no key), the share per source file and the
 * run's ops. Throws `workbench.unknownPrediction` for an unknown id.
 */
export const predictionTrace: WorkbenchQuery<z.output<typeof params>> = {
  name: 'prediction-trace',
  path: '/api/predictions/:id/trace',
  summary:
    'Top training samples of a prediction with their scores and source rows, shares per file, and the ops',
  params,
  async run(client: GraphClient, { id, k, method }): Promise<PredictionTrace> {
    try {
      return await tracePrediction(client, { predictionId: id, top: k, method });
    } catch (err) {
      if (!hasCode(err, 'trace.noPrediction')) throw err;
      throw new NotFoundError(
        'workbench.unknownPrediction',
        `no prediction ${JSON.stringify(id)} (prediction ids are \`<modelId>:<sampleId>\`; search a business key to find one)`,
        { cause: err },
      );
    }
  },
};
