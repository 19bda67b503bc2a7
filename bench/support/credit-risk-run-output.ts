/** What a credit-risk bench run gave: enough to compare the variants (and keep the work observable). */
export interface CreditRiskRunOutput {
  keys: readonly string[];
  /** Row-major samples × features. */
  matrix: Float64Array;
  /** Row-provenance ids (0 in mode `none`). */
  provenanceIds: number;
}
