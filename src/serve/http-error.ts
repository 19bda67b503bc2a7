import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { InputError, NotFoundError, ServiceUnavailableError, TracepropError, UsageError } from '../errors.js';

/** The JSON body of every error answer. */
export interface HttpErrorBody {
  error: { code: string; message: string };
}

/** HTTP status of the Traceprop codes that are not decided by their class. */
const statusOfCode: Record<string, number> = {
  'access.unauthorized': 401,
  'access.forbidden': 403,
  'serve.requestIdConflict': 409,
  'serve.bodyTooLarge': 413,
  'serve.unsupportedMediaType': 415,
};

/**
 * The status and body of an error answer. Traceprop errors keep their code and message (usage
 * and input errors are 400, not found 404, an unavailable service 503); fastify's own errors on
 * the request (body over the limit, a body that is not JSON, bad parameters) get a Traceprop code and a
 * message that says what was expected; anything else is a 500 whose details stay in the log.
 */
export function httpError(
  err: unknown,
  badInputCode = 'serve.badRequest',
): { status: number; body: HttpErrorBody } {
  const mapped = requestError(err, badInputCode) ?? err;
  if (mapped instanceof TracepropError) {
    const status =
      statusOfCode[mapped.code] ??
      (mapped instanceof NotFoundError
        ? 404
        : mapped instanceof UsageError || mapped instanceof InputError
          ? 400
          : mapped instanceof ServiceUnavailableError
            ? 503
            : 500);
    return { status, body: { error: { code: mapped.code, message: mapped.message } } };
  }
  return {
    status: 500,
    body: { error: { code: 'serve.internal', message: 'internal error (see the server log)' } },
  };
}

/** Fastify's errors about the request itself, as Traceprop errors; undefined for anything else. */
function requestError(err: unknown, badInputCode: string): TracepropError | undefined {
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issues = err.validation
      .map((v) => `${v.instancePath || '/'}: ${v.message ?? 'invalid'}`)
      .join('; ');
    return badInput(
      badInputCode,
      `the request's ${err.validationContext ?? 'input'} is not valid: ${issues}`,
    );
  }
  const e = err as { code?: string; statusCode?: number; message?: string };
  if (typeof e?.code !== 'string' || !e.code.startsWith('FST_')) return undefined;
  if (e.statusCode === 413)
    return new TracepropError(
      'serve.bodyTooLarge',
      `the request body is larger than the server accepts (${e.message})`,
    );
  if (e.statusCode === 415)
    return new TracepropError(
      'serve.unsupportedMediaType',
      'the request body must be JSON (Content-Type: application/json)',
    );
  if (e.statusCode === 400)
    return new UsageError('serve.badRequest', `the request is not valid: ${e.message ?? 'bad request'}`);
  return undefined;
}

function badInput(code: string, message: string): TracepropError {
  if (code === 'workbench.badInput') return new UsageError('workbench.badInput', message);
  if (code === 'openlineage.badEvent') return new InputError('openlineage.badEvent', message);
  return new UsageError('serve.badRequest', message);
}
