import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** A string shaped like an error code: `<area>.<camelCaseName>` (areas may hold digits: `neo4j.noJava`). */
export const codeShape = /^[a-z][a-z0-9]*\.[a-zA-Z]+$/;

/** Where a code-shaped string literal is used as an error code. */
export interface ErrorCodeSite {
  code: string;
  /** `path/relative/to/src.ts:line`. */
  at: string;
  /**
   * `new XxxError('…')`: the class; a call to a function whose first parameter is an ErrorCode:
   * `call`; `code: '…'`, `code === '…'`, `const code = … '…'`, `hasCode(e, '…')`: `mention`.
   */
  kind: string;
}

/** A `new XxxError(expr)` whose code is not a string literal. */
export interface DynamicErrorCodeSite {
  /** The class and the code expression, e.g. `UsageError(err.code as ErrorCodeOf<'UsageError'>)`. */
  expression: string;
  at: string;
}

/**
 * The error classes whose first constructor argument is a code, with the catalogue class each one
 * is: the classes of src/errors.ts and their subclasses elsewhere (a located pipeline error is a
 * usage error).
 */
const errorClasses = new Map<string, string>([
  ['TracepropError', 'TracepropError'],
  ['UsageError', 'UsageError'],
  ['ServiceUnavailableError', 'ServiceUnavailableError'],
  ['InputError', 'InputError'],
  ['NotFoundError', 'NotFoundError'],
  ['PipelineSpecError', 'UsageError'],
  ['ExpressionError', 'UsageError'],
]);

/** Every `.ts` file under `dir`, sorted. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(file));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(file);
  }
  return out.sort();
}

/**
 * Finds the error codes used in the TypeScript files under `srcDir`, from the syntax alone (no type
 * check): the first argument of `new XxxError(…)` (the classes of src/errors.ts), of a call to a function of the same file whose
 * first parameter is typed as an error code (`refused(code: ErrorCodeOf<'UsageError'>, …)`), the
 * second of `hasCode(…)`, and code-shaped literals in `code: …`, `….code === …` and
 * `const code = …` positions. Files in `skip` (relative to `srcDir`) are left out.
 */
export function findErrorCodeSites(
  srcDir: string,
  skip: string[] = [],
): { sites: ErrorCodeSite[]; dynamic: DynamicErrorCodeSite[] } {
  const sites: ErrorCodeSite[] = [];
  const dynamic: DynamicErrorCodeSite[] = [];
  const files = sourceFiles(srcDir);
  const codeTakingTypes = typesTakingCodes(files);
  const codeTakingMembers = membersTakingCodes(files, codeTakingTypes);
  for (const file of files) {
    const rel = path.relative(srcDir, file).split(path.sep).join('/');
    if (skip.includes(rel)) continue;
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const at = (node: ts.Node) => `${rel}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const codeTakers = functionsTakingCodes(source, codeTakingTypes);
    const literals = (node: ts.Node | undefined, kind: string) => {
      const visit = (n: ts.Node) => {
        if (ts.isStringLiteralLike(n) && codeShape.test(n.text))
          sites.push({ code: n.text, at: at(n), kind });
        ts.forEachChild(n, visit);
      };
      if (node) visit(node);
    };
    const visit = (node: ts.Node) => {
      if (
        ts.isNewExpression(node) &&
        ts.isIdentifier(node.expression) &&
        errorClasses.has(node.expression.text)
      ) {
        const first = node.arguments?.[0];
        const kind = errorClasses.get(node.expression.text) ?? node.expression.text;
        if (first && ts.isStringLiteralLike(first)) sites.push({ code: first.text, at: at(first), kind });
        else if (first) dynamic.push({ expression: `${kind}(${first.getText(source)})`, at: at(first) });
      } else if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        (codeTakers.has(node.expression.name.text) || codeTakingMembers.has(node.expression.name.text))
      ) {
        literals(node.arguments[0], 'call');
      } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
        if (codeTakers.has(node.expression.text)) literals(node.arguments[0], 'call');
        if (node.expression.text === 'hasCode') literals(node.arguments[1], 'mention');
      } else if (ts.isPropertyAssignment(node) && node.name.getText(source) === 'code') {
        literals(node.initializer, 'mention');
      } else if (ts.isVariableDeclaration(node) && node.name.getText(source) === 'code') {
        literals(node.initializer, 'mention');
      } else if (
        ts.isBinaryExpression(node) &&
        [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken].includes(
          node.operatorToken.kind,
        )
      ) {
        const isCode = (n: ts.Node) => ts.isPropertyAccessExpression(n) && n.name.text === 'code';
        if (isCode(node.left)) literals(node.right, 'mention');
        if (isCode(node.right)) literals(node.left, 'mention');
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { sites, dynamic };
}

/** True when a parameter type names an error code (`ErrorCode`, `ErrorCodeOf<…>`). */
const isCodeType = (type: string) => /ErrorCode(Of)?\b/.test(type);

/** Names of the function types (`type Fail = (code: ErrorCodeOf<…>, …) => never`) of `files` that take a code first. */
function typesTakingCodes(files: string[]): Set<string> {
  const names = new Set<string>();
  for (const file of files) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node) => {
      if (ts.isTypeAliasDeclaration(node) && ts.isFunctionTypeNode(node.type)) {
        if (isCodeType(node.type.parameters[0]?.type?.getText(source) ?? '')) names.add(node.name.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return names;
}

/** Names of interface members of `files` typed as one of `codeTypes` (`readonly fail: Fail`), called as `ctx.fail(…)`. */
function membersTakingCodes(files: string[], codeTypes: Set<string>): Set<string> {
  const names = new Set<string>();
  for (const file of files) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node) => {
      if (ts.isPropertySignature(node) && ts.isIdentifier(node.name) && node.type) {
        if (codeTypes.has(node.type.getText(source))) names.add(node.name.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return names;
}

/**
 * Names in `source` that take an error code first: functions whose first parameter is typed as a
 * code, and variables or parameters typed as one of `codeTypes` (e.g. `fail: Fail`).
 */
function functionsTakingCodes(source: ts.SourceFile, codeTypes: Set<string>): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node) => {
    if (ts.isFunctionDeclaration(node) && node.name) {
      if (isCodeType(node.parameters[0]?.type?.getText(source) ?? '')) names.add(node.name.text);
    } else if (
      (ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isPropertySignature(node)) &&
      ts.isIdentifier(node.name)
    ) {
      if (node.type && codeTypes.has(node.type.getText(source))) names.add(node.name.text);
      const init = ts.isVariableDeclaration(node) ? node.initializer : undefined;
      if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) {
        if (isCodeType(init.parameters[0]?.type?.getText(source) ?? '')) names.add(node.name.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}
