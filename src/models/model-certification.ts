/**
 * The (ε, δ)-certified removal state of a model line (Guo et al. 2020; see
 * `src/unlearning/certified-removal.ts`): kept with the model artifact, because the
 * perturbation b must stay secret; the graph gets {@link certificationProperties}.
 */
export interface ModelCertification {
  /** ε of the guarantee. */
  epsilon: number;
  /** δ of the guarantee. */
  delta: number;
  /** ε′: the sum-form gradient residual removals may spend before a retrain from scratch. */
  budget: number;
  /** σ of the objective perturbation, c·ε′/ε. */
  sigma: number;
  /** Residual spent by removals on this line since the last fit from scratch. */
  spent: number;
  /** The perturbation b (d+1 entries, intercept last). Secret: never written to the graph or a log. */
  perturbation: Float64Array;
}

/** What the graph and `--json` show of a certification (everything but b). */
export interface CertificationSummary {
  certifiedEpsilon: number;
  certifiedDelta: number;
  certifiedSigma: number;
  removalBudget: number;
  budgetSpent: number;
  budgetLeft: number;
}

/** The public part of a certification, as Model node properties. */
export function certificationProperties(c: ModelCertification): CertificationSummary {
  return {
    certifiedEpsilon: c.epsilon,
    certifiedDelta: c.delta,
    certifiedSigma: c.sigma,
    removalBudget: c.budget,
    budgetSpent: c.spent,
    budgetLeft: c.budget - c.spent,
  };
}
