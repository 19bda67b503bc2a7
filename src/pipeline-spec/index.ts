export { loadPipelineSpec, parsePipelineSpec } from './load-pipeline-spec.js';
export { type PipelineSpec, pipelineFormat, pipelineSchema, type SampleSpec } from './pipeline-schema.js';
export { formatLocation, formatPath, PipelineSpecError, type SpecLocation } from './pipeline-spec-error.js';
export type { PipelineExpression } from './resolve-step.js';
export { type SourceColumnSpec, type SourceSpec, sourceColumnTypes } from './source-schema.js';
export { valueTypeOf } from './source-table.js';
export { aggregateFunctions, type StepKind, type StepOf, type StepSpec, stepSchema } from './step-schema.js';
export type { ResolvedColumn, TableSchema } from './table-schema.js';
export { type ValidatedPipeline, validatePipeline } from './validate-pipeline.js';
