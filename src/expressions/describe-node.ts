import type { SyntaxNode } from './parse-expression.js';

/** Renders a syntax node back to compact text, for error messages (`a + 'x'`, `log(y)`). */
export function describeNode(node: SyntaxNode): string {
  const n = node as Record<string, unknown> & SyntaxNode;
  switch (node.type) {
    case 'Identifier':
      return String(n.name);
    case 'Literal':
      return String(n.raw);
    case 'ArrayExpression':
      return `[${(n.elements as (SyntaxNode | null)[]).map((e) => (e ? describeNode(e) : '')).join(', ')}]`;
    case 'UnaryExpression': {
      const op = String(n.operator);
      return `${op}${/^[a-z]/.test(op) ? ' ' : ''}${describeNode(n.argument as SyntaxNode)}`;
    }
    case 'BinaryExpression':
      return `${wrap(n.left as SyntaxNode)} ${n.operator} ${wrap(n.right as SyntaxNode)}`;
    case 'ConditionalExpression':
      return `${wrap(n.test as SyntaxNode)} ? ${wrap(n.consequent as SyntaxNode)} : ${wrap(n.alternate as SyntaxNode)}`;
    case 'CallExpression':
      return `${describeNode(n.callee as SyntaxNode)}(${(n.arguments as SyntaxNode[]).map(describeNode).join(', ')})`;
    case 'MemberExpression':
      return `${describeNode(n.object as SyntaxNode)}.${describeNode(n.property as SyntaxNode)}`;
    default:
      return node.type;
  }
}

function wrap(node: SyntaxNode): string {
  const text = describeNode(node);
  return node.type === 'BinaryExpression' || node.type === 'ConditionalExpression' ? `(${text})` : text;
}
