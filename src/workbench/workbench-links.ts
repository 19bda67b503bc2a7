/**
 * The workbench routes an answer links to, built from ids (each id URI-encoded as one path
 * segment). They name the paths of `workbenchQueries`, so a page can follow a result.
 */
export const workbenchLinks = {
  predictionTrace: (id: string) => `/api/predictions/${encodeURIComponent(id)}/trace`,
  sampleSources: (id: string) => `/api/samples/${encodeURIComponent(id)}/sources`,
  sourceRowImpact: (id: string) => `/api/source-rows/${encodeURIComponent(id)}/impact`,
  run: (id: string) => `/api/runs/${encodeURIComponent(id)}`,
  runDag: (id: string) => `/api/runs/${encodeURIComponent(id)}/dag`,
  runFile: (runId: string, fileId: string) =>
    `/api/runs/${encodeURIComponent(runId)}/dag?expand=${encodeURIComponent(fileId)}`,
  modelVersions: (id: string) => `/api/models/${encodeURIComponent(id)}/versions`,
  erasure: (id: string) => `/api/erasures/${encodeURIComponent(id)}`,
} as const;
