import { describeNode } from './describe-node.js';
import { ExpressionError, type ExpressionErrorCode } from './expression-error.js';
import { functionCatalogue } from './function-catalogue.js';
import type { SyntaxNode } from './parse-expression.js';
import { parseIsoDate } from './parse-iso-date.js';
import type { BinaryOperator, TypedExpression } from './typed-expression.js';
import type { ColumnTypes, ValueType } from './value-type.js';

/** A type-checked expression and the columns it reads. */
export interface CheckedExpression {
  /** The source text. */
  readonly text: string;
  /** The typed tree. */
  readonly tree: TypedExpression;
  /** The result type. */
  readonly type: ValueType;
  /** Columns read, in order of first use (the column-level lineage of the result). */
  readonly columns: readonly string[];
}

const binaryAliases: Readonly<Record<string, BinaryOperator>> = {
  '+': '+',
  '-': '-',
  '*': '*',
  '/': '/',
  '%': '%',
  '==': '==',
  '===': '==',
  '!=': '!=',
  '!==': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  and: 'and',
  '&&': 'and',
  or: 'or',
  '||': 'or',
};

/**
 * Resolves every name of a parsed expression against the column types and computes the type of
 * every node. Errors: `pipeline.unknownColumn`, `pipeline.unknownFunction`,
 * `pipeline.expressionType` (the message names the sub-expression, what was expected and what
 * was got), `pipeline.expressionSyntax` (constructs outside the language, e.g. `null`, `a[0]`).
 *
 * @example
 * typeCheck(parseExpression('amount / duration'), new Map([['amount', 'number'], ['duration', 'number']]), 'amount / duration');
 * // { type: 'number', columns: ['amount', 'duration'], … }
 */
export function typeCheck(node: SyntaxNode, columns: ColumnTypes, text: string): CheckedExpression {
  const used: string[] = [];
  const fail = (code: ExpressionErrorCode, at: SyntaxNode, why: string): never => {
    const part = describeNode(at);
    const where = part === text.trim() ? '' : ` in "${part}"`;
    throw new ExpressionError(code, text, `expression "${text}"${where}: ${why}`);
  };

  const column = (name: string, at: SyntaxNode): TypedExpression => {
    const type = columns.get(name);
    if (!type) {
      const names = [...columns.keys()];
      const near = names.find((c) => c.toLowerCase() === name.toLowerCase());
      const list = names.length > 30 ? `${names.slice(0, 30).join(', ')}, …` : names.join(', ');
      fail(
        'pipeline.unknownColumn',
        at,
        `unknown column "${name}"${near ? ` (did you mean "${near}"?)` : ''}; available: ${list || 'none'}`,
      );
    }
    if (!used.includes(name)) used.push(name);
    return { kind: 'column', type: type!, name };
  };

  const visit = (n: SyntaxNode): TypedExpression => {
    const node = n as SyntaxNode & Record<string, unknown>;
    switch (n.type) {
      case 'Identifier':
        return column(String(node.name), n);
      case 'MemberExpression': {
        const name = dottedName(n);
        if (name === undefined)
          return fail('pipeline.expressionSyntax', n, "indexing is not supported; use col('name')");
        return column(name, n);
      }
      case 'Literal':
        return literal(n);
      case 'UnaryExpression': {
        const op = String(node.operator);
        const arg = visit(node.argument as SyntaxNode);
        if (op === '-' || op === '+') {
          if (arg.type !== 'number')
            fail('pipeline.expressionType', n, `unary ${op} expects a number, got ${arg.type}`);
          return op === '+' ? arg : { kind: 'unary', type: 'number', op: 'neg', arg };
        }
        if (op === '!' || op === 'not') {
          if (arg.type !== 'boolean')
            fail('pipeline.expressionType', n, `${op} expects a boolean, got ${arg.type}`);
          return { kind: 'unary', type: 'boolean', op: 'not', arg };
        }
        return fail('pipeline.expressionSyntax', n, `operator ${op} is not supported (supported: -, not, !)`);
      }
      case 'BinaryExpression':
        return node.operator === 'in' ? membership(n) : binary(n);
      case 'ConditionalExpression':
        return call(n, 'if', [node.test, node.consequent, node.alternate] as SyntaxNode[]);
      case 'CallExpression': {
        const callee = node.callee as SyntaxNode & { name?: string };
        if (callee.type !== 'Identifier')
          return fail('pipeline.expressionSyntax', n, 'expected a function name');
        return call(n, String(callee.name), node.arguments as SyntaxNode[]);
      }
      case 'ArrayExpression':
        return fail('pipeline.expressionSyntax', n, 'a list is only allowed after "in", e.g. x in [1, 2]');
      default:
        return fail('pipeline.expressionSyntax', n, `${n.type} is not supported in pipeline expressions`);
    }
  };

  const literal = (n: SyntaxNode): TypedExpression => {
    const value = (n as SyntaxNode & { value?: unknown }).value;
    if (typeof value === 'number') return { kind: 'literal', type: 'number', value };
    if (typeof value === 'string') return { kind: 'literal', type: 'string', value };
    if (typeof value === 'boolean') return { kind: 'literal', type: 'boolean', value: value ? 1 : 0 };
    return fail(
      'pipeline.expressionSyntax',
      n,
      'null is not a value; test for missing values with is_null(x)',
    );
  };

  const binary = (n: SyntaxNode): TypedExpression => {
    const node = n as jsepBinary;
    const op = binaryAliases[node.operator];
    if (!op)
      return fail(
        'pipeline.expressionSyntax',
        n,
        `operator ${node.operator} is not supported (supported: + - * / % == != < <= > >= and or not in)`,
      );
    const left = visit(node.left);
    const right = visit(node.right);
    const type = binaryType(op, left.type, right.type);
    if (typeof type !== 'string' || !isValueType(type)) {
      return fail(
        'pipeline.expressionType',
        n,
        `operator ${node.operator} ${type}, got ${left.type} ${node.operator} ${right.type}`,
      );
    }
    return { kind: 'binary', type, op, left, right };
  };

  const membership = (n: SyntaxNode): TypedExpression => {
    const node = n as jsepBinary;
    const arg = visit(node.left);
    const list = node.right as SyntaxNode & { elements?: (SyntaxNode | null)[] };
    if (list.type !== 'ArrayExpression')
      return fail(
        'pipeline.expressionSyntax',
        n,
        'expected a list of constants after "in", e.g. x in [1, 2]',
      );
    if (arg.type !== 'number' && arg.type !== 'string')
      return fail(
        'pipeline.expressionType',
        n,
        `"in" expects a number or string on its left, got ${arg.type}`,
      );
    const values: (number | string)[] = [];
    for (const e of list.elements ?? []) {
      const v = e && e.type === 'Literal' ? (e as SyntaxNode & { value?: unknown }).value : undefined;
      if (typeof v !== arg.type)
        return fail(
          'pipeline.expressionType',
          n,
          `expected a list of ${arg.type} constants, got ${e ? describeNode(e) : 'a hole'}`,
        );
      values.push(v as number | string);
    }
    if (values.length === 0)
      return fail('pipeline.expressionSyntax', n, 'expected a non-empty list after "in"');
    return { kind: 'in', type: 'boolean', arg, values };
  };

  const call = (n: SyntaxNode, name: string, argNodes: SyntaxNode[]): TypedExpression => {
    const sig = functionCatalogue[name];
    if (!sig || !Object.hasOwn(functionCatalogue, name))
      return fail(
        'pipeline.unknownFunction',
        n,
        `unknown function ${name}() (known: ${Object.keys(functionCatalogue).join(', ')})`,
      );
    const [lo, hi] = sig.arity;
    if (argNodes.length < lo || argNodes.length > hi) {
      const want =
        lo === hi ? `${lo}` : hi === Number.POSITIVE_INFINITY ? `at least ${lo}` : `${lo} to ${hi}`;
      return fail(
        'pipeline.expressionType',
        n,
        `${name}() expects ${want} argument${lo === 1 && lo === hi ? '' : 's'}, got ${argNodes.length} (${sig.usage})`,
      );
    }
    if (name === 'date' || name === 'col') {
      const arg = argNodes[0] as SyntaxNode & { value?: unknown };
      if (arg.type !== 'Literal' || typeof arg.value !== 'string')
        return fail('pipeline.expressionType', n, `${name}() expects a string constant (${sig.usage})`);
      if (name === 'col') return column(arg.value, n);
      const days = parseIsoDate(arg.value);
      if (days === undefined)
        return fail('pipeline.expressionType', n, `expected a date as 'YYYY-MM-DD', got '${arg.value}'`);
      return { kind: 'literal', type: 'date', value: days };
    }
    const args = argNodes.map(visit);
    const type = sig.check(args.map((a) => a.type));
    if (!isValueType(type)) return fail('pipeline.expressionType', n, `${name}() ${type} (${sig.usage})`);
    return { kind: 'call', type, fn: name, args };
  };

  const tree = visit(node);
  return { text, tree, type: tree.type, columns: used };
}

type jsepBinary = SyntaxNode & { operator: string; left: SyntaxNode; right: SyntaxNode };

function isValueType(t: string): t is ValueType {
  return t === 'number' || t === 'string' || t === 'boolean' || t === 'date';
}

/** `a.b.c` as one column name, or `undefined` for computed access (`a[0]`). */
function dottedName(n: SyntaxNode): string | undefined {
  if (n.type === 'Identifier') return String((n as SyntaxNode & { name?: string }).name);
  if (n.type !== 'MemberExpression') return undefined;
  const m = n as SyntaxNode & { computed: boolean; object: SyntaxNode; property: SyntaxNode };
  if (m.computed) return undefined;
  const head = dottedName(m.object);
  const tail = dottedName(m.property);
  return head === undefined || tail === undefined ? undefined : `${head}.${tail}`;
}

/** The result type of a binary operator, or the phrase saying what it expects. */
function binaryType(op: BinaryOperator, l: ValueType, r: ValueType): ValueType | string {
  switch (op) {
    case '+':
      if (l === 'number' && r === 'number') return 'number';
      if ((l === 'date' && r === 'number') || (l === 'number' && r === 'date')) return 'date';
      return 'expects numbers (or a date and a number of days)';
    case '-':
      if (l === 'number' && r === 'number') return 'number';
      if (l === 'date' && r === 'number') return 'date';
      if (l === 'date' && r === 'date') return 'number';
      return 'expects numbers (or date − days, or date − date)';
    case '*':
    case '/':
    case '%':
      return l === 'number' && r === 'number' ? 'number' : 'expects numbers';
    case '==':
    case '!=':
      return l === r ? 'boolean' : 'expects operands of one type';
    case '<':
    case '<=':
    case '>':
    case '>=':
      if (l === r && (l === 'number' || l === 'date')) return 'boolean';
      return l === 'date' || r === 'date'
        ? "expects two numbers or two dates (write a date constant as date('YYYY-MM-DD'))"
        : 'expects two numbers or two dates';
    case 'and':
    case 'or':
      return l === 'boolean' && r === 'boolean' ? 'boolean' : 'expects booleans';
  }
}
