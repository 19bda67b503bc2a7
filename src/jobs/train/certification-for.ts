import type { ArtifactHome } from '../../artifacts/artifact-home.js';
import { defaults } from '../../defaults.js';
import { TracepropError } from '../../errors.js';
import { loadModelArtifact } from '../../models/model-artifact-store.js';
import type { ModelCertification } from '../../models/model-certification.js';
import { certifiedNoiseScale, drawSecretPerturbation } from '../../unlearning/certified-removal.js';

/** What `--certify EPS,DELTA [--removal-budget B]` asks of a training. */
export interface CertifyRequest {
  epsilon: number;
  delta: number;
  /** ε′ (default `defaults.certifiedResidualBudget`). */
  budget?: number;
}

/**
 * The certification of a model about to be trained: σ = c·ε′/ε and a fresh secret b of `dims`
 * entries. When an artifact of the same model id already holds a certification with the same
 * ε, δ and ε′ (a retried train job), its b is reused, so every attempt fits the same model.
 *
 * @throws UsageError `unlearning.badCertification` for ε ≤ 0, δ outside (0, 1) or ε′ ≤ 0.
 */
export async function certificationFor(
  home: ArtifactHome,
  modelId: string,
  request: CertifyRequest,
  dims: number,
): Promise<ModelCertification> {
  const parameters = {
    epsilon: request.epsilon,
    delta: request.delta,
    budget: request.budget ?? defaults.certifiedResidualBudget,
  };
  const sigma = certifiedNoiseScale(parameters);
  const earlier = await earlierPerturbation(home, modelId);
  const reuse =
    earlier?.epsilon === parameters.epsilon &&
    earlier.delta === parameters.delta &&
    earlier.budget === parameters.budget &&
    earlier.perturbation.length === dims;
  return {
    ...parameters,
    sigma,
    spent: 0,
    perturbation: reuse ? earlier.perturbation : drawSecretPerturbation(dims, sigma),
  };
}

async function earlierPerturbation(
  home: ArtifactHome,
  modelId: string,
): Promise<ModelCertification | undefined> {
  try {
    return (await loadModelArtifact(home, modelId)).certification;
  } catch (err) {
    // No earlier attempt, or one that died while writing: draw a new b.
    if (
      err instanceof TracepropError &&
      (err.code === 'models.noArtifact' || err.code === 'models.corruptArtifact')
    )
      return undefined;
    throw err;
  }
}
