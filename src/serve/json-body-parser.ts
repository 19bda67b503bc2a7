import type { FastifyInstance } from 'fastify';
import { UsageError } from '../errors.js';

/**
 * Replaces Fastify's JSON body parser with one whose refusals say what is wrong: an empty body,
 * or the parser's own message with its position ("Expected ',' or '}' after property value in
 * JSON at position 20"), as `serve.badJson` (400). A `__proto__` member anywhere is refused too,
 * as Fastify's parser does, so no body can reach an object's prototype. The body limit still
 * applies before parsing (413).
 */
export function parseJsonBodies(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') {
      done(new UsageError('serve.badJson', 'the request body is empty: send one JSON document'), undefined);
      return;
    }
    try {
      done(null, JSON.parse(text, refusePrototypeMembers));
    } catch (err) {
      done(
        new UsageError('serve.badJson', `the request body is not valid JSON: ${(err as Error).message}`),
        undefined,
      );
    }
  });
}

function refusePrototypeMembers(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new Error('a member named "__proto__" is not accepted');
  return value;
}
