import { UsageError } from '../errors.js';

/** The codes an {@link ExpressionError} can carry. */
export type ExpressionErrorCode =
  | 'pipeline.expressionSyntax'
  | 'pipeline.expressionType'
  | 'pipeline.unknownColumn'
  | 'pipeline.unknownFunction';

/**
 * An expression that cannot be parsed or type-checked. The message names the expression and,
 * for type errors, the sub-expression and the types expected and got. CLI exit code 2.
 */
export class ExpressionError extends UsageError {
  /** The whole expression text. */
  readonly expression: string;

  constructor(
    code: ExpressionErrorCode,
    expression: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(code, message, options);
    this.name = 'ExpressionError';
    this.expression = expression;
  }
}
