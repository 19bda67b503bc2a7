export { type CompiledExpression, compileExpression } from './compile-expression.js';
export type { Evaluator } from './compile-tree.js';
export {
  compileDatePattern,
  type DateParser,
  type DatePatternOptions,
  parseDatePattern,
} from './date-pattern.js';
export { civilFromDays, daysFromCivil } from './dates.js';
export { ExpressionError, type ExpressionErrorCode } from './expression-error.js';
export { type FunctionSignature, functionCatalogue } from './function-catalogue.js';
export { deriveSpecFor, filterSpecFor } from './lineage-specs.js';
export { parseExpression, type SyntaxNode } from './parse-expression.js';
export { type CheckedExpression, typeCheck } from './type-check.js';
export type { TypedExpression } from './typed-expression.js';
export { type ColumnTypes, type ValueType, valueTypes } from './value-type.js';
export { type ColumnInput, isMissing, type Vector, valueAt } from './vector.js';
