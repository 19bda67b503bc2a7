import type { ValueType } from './value-type.js';

/** Binary operators after normalisation (`&&` → `and`, `||` → `or`, `===` → `==`). */
export type BinaryOperator =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'and'
  | 'or';

/**
 * A type-checked expression tree: every node knows its {@link ValueType}. Literals are stored
 * in columnar form (booleans as 1/0, dates as epoch days). `if`, `a ? b : c` and function calls
 * are `call` nodes.
 */
export type TypedExpression =
  | { readonly kind: 'column'; readonly type: ValueType; readonly name: string }
  | { readonly kind: 'literal'; readonly type: ValueType; readonly value: number | string }
  | {
      readonly kind: 'unary';
      readonly type: ValueType;
      readonly op: 'neg' | 'not';
      readonly arg: TypedExpression;
    }
  | {
      readonly kind: 'binary';
      readonly type: ValueType;
      readonly op: BinaryOperator;
      readonly left: TypedExpression;
      readonly right: TypedExpression;
    }
  | {
      readonly kind: 'in';
      readonly type: 'boolean';
      readonly arg: TypedExpression;
      readonly values: readonly (number | string)[];
    }
  | {
      readonly kind: 'call';
      readonly type: ValueType;
      readonly fn: string;
      readonly args: readonly TypedExpression[];
    };
