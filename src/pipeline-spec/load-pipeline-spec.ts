import { LineCounter, parseDocument } from 'yaml';
import { describeValue } from './describe-value.js';
import { formatZodIssue } from './format-zod-issue.js';
import { type PipelineSpec, pipelineFormat, pipelineSchema } from './pipeline-schema.js';
import { formatPath, PipelineSpecError } from './pipeline-spec-error.js';
import { readPipelineFile } from './read-pipeline-file.js';
import type { Fail } from './spec-failure.js';
import { type ValidatedPipeline, validatePipeline } from './validate-pipeline.js';
import { locateInYaml } from './yaml-locator.js';

/**
 * Reads and validates a pipeline file (YAML, or JSON, which is read as YAML). Every error is a
 * {@link PipelineSpecError} naming the file, the YAML path and line, and what was expected:
 * `pipeline.unreadable`, `pipeline.badYaml`, `pipeline.badFormat`, the schema codes
 * (`pipeline.missingField`, `pipeline.unknownField`, `pipeline.invalidValue`) and the semantic
 * ones (see `validatePipeline`).
 *
 * @example
 * const p = loadPipelineSpec('pipelines/berka-loans.yaml');
 * p.order; // ['loan_account', …]
 */
export function loadPipelineSpec(file: string): ValidatedPipeline {
  return parsePipelineSpec(readPipelineFile(file), file);
}

/** Like {@link loadPipelineSpec}, from text; `file` is only used in messages. */
export function parsePipelineSpec(text: string, file = '<text>'): ValidatedPipeline {
  const { spec, fail } = checkPipelineSchema(text, file);
  return validatePipeline(spec, fail);
}

/**
 * The first half of {@link parsePipelineSpec}: the YAML parsed and checked against the schema
 * (defaults filled in), with the `fail` that locates an error in that YAML, before the semantic
 * checks of `validatePipeline`. Throws the YAML, format and schema errors.
 */
export function checkPipelineSchema(text: string, file = '<text>'): { spec: PipelineSpec; fail: Fail } {
  const lines = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = e.linePos?.[0].line;
    throw new PipelineSpecError(
      'pipeline.badYaml',
      { file, path: '', line, column: e.linePos?.[0].col },
      `not valid YAML: ${e.message.split('\n')[0]}`,
    );
  }
  const fail: Fail = (code, path, message, options = {}) => {
    const pos = locateInYaml(doc, lines, path, { key: options.atKey });
    throw new PipelineSpecError(
      code,
      { file, path: formatPath(path), line: pos?.line, column: pos?.column },
      message,
    );
  };
  const raw: unknown = doc.toJS();
  if (raw === null || raw === undefined)
    return fail(
      'pipeline.badFormat',
      [],
      `the file is empty; expected a mapping with "format: ${pipelineFormat}"`,
    );
  if (typeof raw !== 'object' || Array.isArray(raw))
    return fail(
      'pipeline.badFormat',
      [],
      `expected a mapping with "format: ${pipelineFormat}", got ${describeValue(raw)}`,
    );
  const format = (raw as Record<string, unknown>).format;
  if (format !== pipelineFormat)
    return fail(
      'pipeline.badFormat',
      format === undefined ? [] : ['format'],
      format === undefined
        ? `missing "format: ${pipelineFormat}" (is this a Traceprop pipeline file?)`
        : `expected format ${pipelineFormat}, got ${describeValue(format)}`,
    );
  const parsed = pipelineSchema.safeParse(raw);
  if (!parsed.success) {
    // An unknown field first: a misspelt field also shows up as a missing one, and its name says more.
    const issues = [...parsed.error.issues].sort(
      (a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'),
    );
    const p = formatZodIssue(issues[0], raw, pipelineSchema);
    const more =
      issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
    return fail(p.code, p.path, `${p.message}${more}`, { atKey: p.atKey });
  }
  return { spec: parsed.data, fail };
}
