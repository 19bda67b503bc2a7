/**
 * The hand-written credit-risk pipeline that `pipelines/credit-risk.yaml` replaces, as the
 * `pipelines` bench section's baseline (the code itself lives in `hand-written-credit-risk.ts`).
 */
export { creditRiskFiles } from '../../src/pipelines/credit-risk-files.js';
export { readCreditRiskTables, runCreditRiskTransforms } from './hand-written-credit-risk.js';
