import type { ArtifactHome } from '../../artifacts/artifact-home.js';
import { type ModelArtifact, saveModelArtifact } from '../../models/model-artifact-store.js';
import type { UnlearningComputeOutput } from './compute-unlearning.js';
import type { UpdateUnlearningInputs } from './read-unlearning-inputs.js';

/** The new model version of an update, once its parameters are saved. */
export interface UnlearnedModel {
  id: string;
  version: number;
  /** Whether the update made a new version (false: the model stays as it was). */
  changed: boolean;
  paramsSha256: string;
  artifactPath: string;
  /** ISO time the version was made. */
  trainedAt: string;
  /** The new version's artifact as saved (absent when unchanged): the request's scrub reads it from here. */
  artifact?: ModelArtifact;
}

/**
 * Saves the new model version's parameters when the update changed the model (any training row
 * forgotten, or, in recompute mode, any sample re-derived: re-scored test samples also make a new
 * version) as `model-u-<tag>` (the request id, with the line's number when the request updates
 * several lines), one version up; else the model stays as it was. Reports
 * progress `save` (70) when it saves.
 */
export async function saveUnlearnedModel(
  home: ArtifactHome,
  tag: string,
  inputs: UpdateUnlearningInputs,
  result: UnlearningComputeOutput,
  progress: (percent: number, stage: string) => Promise<void>,
): Promise<UnlearnedModel> {
  const { model, artifact } = inputs;
  const changed = result.forgotten > 0 || result.recomputedSamples > 0;
  if (!changed) {
    return {
      id: model.id,
      version: model.version,
      changed,
      paramsSha256: model.paramsSha256,
      artifactPath: artifact.dir,
      trainedAt: new Date().toISOString(),
    };
  }
  await progress(70, 'save');
  const id = `model-u-${tag}`;
  const { dir: _dir, paramsSha256: _sha, ...kept } = artifact;
  const next: ModelArtifact = {
    ...kept,
    modelId: id,
    theta: result.theta,
    hessianSum: result.hessianSum,
    hessianTheta: result.hessianTheta,
    trainRows: result.trainRows,
    testRows: result.testRows,
    replaced: result.replaced,
    certification: result.certification,
  };
  const saved = await saveModelArtifact(home, next);
  return {
    artifact: next,
    id,
    version: model.version + 1,
    changed,
    paramsSha256: saved.paramsSha256,
    artifactPath: saved.dir,
    trainedAt: new Date().toISOString(),
  };
}
