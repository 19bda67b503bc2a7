import jsep from 'jsep';
import { ExpressionError } from './expression-error.js';

/** The parser's syntax tree (jsep's node types). */
export type SyntaxNode = jsep.Expression;

let configured = false;

/** Adds the word operators (`and`, `or`, `not`, `in`) to jsep once, with SQL-like precedence. */
function configure(): void {
  if (configured) return;
  jsep.addBinaryOp('or', 1);
  jsep.addBinaryOp('and', 2);
  jsep.addBinaryOp('in', 7);
  jsep.addUnaryOp('not');
  configured = true;
}

/**
 * Parses expression text into jsep's syntax tree. Only syntax is checked here; names, operators
 * and types are checked by `typeCheck`. Throws `pipeline.expressionSyntax` with the character
 * position of the problem.
 *
 * @example
 * parseExpression("status in ['B', 'D']"); // BinaryExpression 'in'
 */
export function parseExpression(text: string): SyntaxNode {
  configure();
  if (text.trim() === '')
    throw new ExpressionError('pipeline.expressionSyntax', text, 'expected an expression, got empty text');
  try {
    const node = jsep(text);
    if (node.type === 'Compound')
      throw new ExpressionError(
        'pipeline.expressionSyntax',
        text,
        `expression "${text}": expected one expression, got ${(node.body as unknown[]).length} (is an operator missing?)`,
      );
    return node;
  } catch (err) {
    if (err instanceof ExpressionError) throw err;
    const e = err as { message?: string };
    throw new ExpressionError(
      'pipeline.expressionSyntax',
      text,
      `expression "${text}": ${e.message ?? String(err)}`,
      { cause: err },
    );
  }
}
