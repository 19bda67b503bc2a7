import ts from 'typescript';

/** A string or template literal of a TypeScript file that reads as a Cypher statement. */
export interface CypherLiteral {
  /** 1-based line of the literal's start. */
  line: number;
  /** The literal's text (template substitutions shown as `${…}`), whitespace collapsed. */
  text: string;
  /** The statement shape it matched, e.g. `MATCH (`. */
  shape: string;
}

/**
 * Statement shapes: a clause keyword (upper case, as the house style writes Cypher) followed by
 * what only Cypher puts after it. A keyword alone (`'EXPLAIN '`, `['CALL', 'LOAD']` in a
 * scanner's word list) or in an English sentence is not a statement.
 */
const shapes: [string, RegExp][] = [
  ['MATCH (', /\b(?:OPTIONAL\s+)?MATCH\s*(?:\w+\s*=\s*)?\(/],
  ['MERGE (', /\bMERGE\s*(?:\w+\s*=\s*)?\(/],
  ['CREATE (', /\bCREATE\s*\(/],
  [
    'CREATE CONSTRAINT/INDEX',
    /\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:CONSTRAINT|(?:RANGE\s+|TEXT\s+|POINT\s+|FULLTEXT\s+|VECTOR\s+|LOOKUP\s+)?INDEX|DATABASE)\b/,
  ],
  ['DROP CONSTRAINT/INDEX', /\bDROP\s+(?:CONSTRAINT|INDEX|DATABASE)\s+\w/],
  ['UNWIND … AS', /\bUNWIND\s+\S.*?\s+AS\s+\w/],
  ['DETACH DELETE', /\bDETACH\s+DELETE\s+\w/],
  ['DELETE x', /\bDELETE\s+[a-z_]\w*\s*(?:,\s*[a-z_]\w*\s*)*(?:$|RETURN\b|WITH\b)/],
  ['SET x.p =', /\bSET\s+[a-z_]\w*\s*(?:\.\s*\w+\s*\+?=|\+?=|:\s*[A-Z])/],
  ['REMOVE x.p', /\bREMOVE\s+[a-z_]\w*\s*[.:]\s*\w/],
  ['CALL proc()', /\bCALL\s+[a-z]\w*(?:\.\w+)+\s*\(/],
  [
    'CALL { … }',
    /\bCALL\s*(?:\([^)]*\)\s*)?\{\s*(?:OPTIONAL\s+)?(?:MATCH|MERGE|CREATE|WITH|UNWIND|RETURN|CALL|DELETE|DETACH|SET|LOAD|FOREACH)\b/,
  ],
  ['LOAD CSV FROM', /\bLOAD\s+CSV\s+(?:WITH\s+HEADERS\s+)?FROM\b/],
  ['FOREACH (', /\bFOREACH\s*\(\s*\w+\s+IN\b/],
  ['RETURN x', /^\s*(?:EXPLAIN\s+|PROFILE\s+)?RETURN\s+(?:\S+\s*;?\s*$|.*\sAS\s+[A-Za-z_]\w*)/],
  ['WITH … RETURN', /\bWITH\s+\S.*\b(?:RETURN|MATCH|WHERE)\b/],
  [
    'SHOW …',
    /\bSHOW\s+(?:ALL\s+|RANGE\s+|TEXT\s+)?(?:INDEXES|CONSTRAINTS|PROCEDURES|FUNCTIONS|TRANSACTIONS|SETTINGS|DATABASES?)\b/,
  ],
];

/** The statement shape `text` matches, or undefined when it does not read as Cypher. */
export function cypherShape(text: string): string | undefined {
  const flat = text.replace(/\s+/g, ' ');
  return shapes.find(([, pattern]) => pattern.test(flat))?.[0];
}

/**
 * Every string literal, no-substitution template and template expression of a TypeScript
 * source that reads as a Cypher statement (found with the TypeScript parser, so comments,
 * regular expressions and identifiers are never read as text).
 *
 * @example
 * cypherLiterals('a.ts', "const q = 'MATCH (n) RETURN n';"); // [{ line: 1, shape: 'MATCH (', … }]
 */
export function cypherLiterals(fileName: string, source: string): CypherLiteral[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: CypherLiteral[] = [];
  const visit = (node: ts.Node): void => {
    let text: string | undefined;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
    else if (ts.isTemplateExpression(node))
      text = node.head.text + node.templateSpans.map((span) => `\${…}${span.literal.text}`).join('');
    if (text !== undefined) {
      const shape = cypherShape(text);
      if (shape) {
        const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
        found.push({ line: line + 1, text: text.replace(/\s+/g, ' ').trim(), shape });
      }
      // The spans of a template expression are read with it; its placeholders' own literals too.
      if (ts.isTemplateExpression(node)) for (const span of node.templateSpans) visit(span.expression);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}
