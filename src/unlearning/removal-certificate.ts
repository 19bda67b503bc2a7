/**
 * What an unlearning update can vouch for (see docs/unlearning.md). All gradient norms are of
 * the mean-loss remaining-data objective J_R (the one `fitLogisticRegression` minimises).
 */
export interface RemovalCertificate {
  /** ‖∇J_R(θ)‖₂ at the parameters returned (after the fallback retrain when there was one). */
  gradientResidual: number;
  /** ‖∇J_R(θ_U)‖₂ of the Newton update itself, before any fallback. */
  updateResidual: number;
  /** The a-priori bound on the residual of the first Newton step (see `oneStepResidualBound`). */
  oneStepBound: number;
  /** The residual budget: past it the update was replaced by a full retrain. */
  budget: number;
  /** True when the Newton update met the budget (no fallback needed). */
  withinBudget: boolean;
  /**
   * Estimate of ‖θ − θ_R‖₂ (θ_R the exact remaining-data optimum): residual / μ, μ the smallest
   * eigenvalue of the remaining-data Hessian at θ_O. Local (μ is taken at θ_O), not a proof.
   */
  distanceEstimate: number;
  /** μ: smallest eigenvalue of the remaining-data Hessian at θ_O (inverse power iteration). */
  minEigenvalue: number;
  /** Newton step plus chord refinements taken. */
  steps: number;
}
