/**
 * Keys of the artifacts in a shared store (docs/object-storage.md). Binaries are named by the
 * sha256 of their bytes, under the artifact they belong to (not in one global pool), so that an
 * erasure deleting one artifact's binary never removes bytes another artifact refers to.
 */
export const artifactKeys = {
  /** The manifest of a run's model matrix: names the binary's sha256. */
  runManifest: (runId: string) => `runs/${encodeURIComponent(runId)}/matrix.json`,
  /** A run matrix binary with content hash `sha256`. */
  runBinary: (runId: string, sha256: string) => `runs/${encodeURIComponent(runId)}/matrix.${sha256}.bin`,
  /** Every object of a run. */
  runPrefix: (runId: string) => `runs/${encodeURIComponent(runId)}/`,
  /** The manifest of a model's artifact: names the parameters' sha256. */
  modelManifest: (modelId: string) => `models/${encodeURIComponent(modelId)}/model.json`,
  /** A model's parameters with content hash `sha256`. */
  modelParams: (modelId: string, sha256: string) =>
    `models/${encodeURIComponent(modelId)}/params.${sha256}.bin`,
  /** Every object of a model. */
  modelPrefix: (modelId: string) => `models/${encodeURIComponent(modelId)}/`,
} as const;
