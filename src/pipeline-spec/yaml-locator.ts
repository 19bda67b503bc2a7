import { type Document, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';

/** A 1-based line and column. */
export interface LinePosition {
  line: number;
  column: number;
}

/**
 * Finds where a YAML path points in a parsed document: the value's first character, or the
 * key's when `key` is true (for unknown fields) or when the value is empty. A path that goes past
 * what exists stops at the deepest existing node (a missing field points at its parent).
 */
export function locateInYaml(
  doc: Document,
  lines: LineCounter,
  path: readonly PropertyKey[],
  options: { key?: boolean } = {},
): LinePosition | undefined {
  let node: Node | null | undefined = doc.contents as Node | null;
  let at: Node | null | undefined = node;
  for (let i = 0; i < path.length && node; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && scalarKey(p.key) === String(seg));
      if (!pair) break;
      const key = pair.key as Node | null;
      const value = pair.value as Node | null;
      at = (last && options.key) || !value ? key : value;
      node = value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | null | undefined;
      if (!item) break;
      at = item;
      node = item;
    } else break;
  }
  const offset = at?.range?.[0];
  if (offset === undefined) return undefined;
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function scalarKey(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}
