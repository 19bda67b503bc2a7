/**
 * The hand-written credit-risk pipeline that `pipelines/credit-risk.yaml` replaces, as the
 * `pipelines` bench section's baseline. Everything of it the bench uses comes through here, so
 * that one import changes when the code moves.
 */
export {
  creditRiskFiles,
  readCreditRiskTables,
  runCreditRiskTransforms,
} from '../../src/pipelines/credit-risk-pipeline.js';
