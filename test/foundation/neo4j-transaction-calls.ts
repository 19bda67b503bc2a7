import path from 'node:path';
import ts from 'typescript';

/** A driver call that bypasses managed, routed, bookmarked transactions. */
export interface TransactionCall {
  /** Path from the package root, `/`-separated. */
  file: string;
  /** 1-based line of the call. */
  line: number;
  /**
   * `auto-commit` (`session.run`), `unmanaged` (`session.beginTransaction`), `no-routing`
   * (`driver.executeQuery` without a literal `routing` option), `bare-session` (`driver.session`:
   * a session without the client's bookmark manager) or `legacy` (`readTransaction` /
   * `writeTransaction`).
   */
  kind: 'auto-commit' | 'unmanaged' | 'no-routing' | 'bare-session' | 'legacy';
  /** The first argument's source text, whitespace collapsed (`''` when there is none). */
  detail: string;
}

/** Name of the class (or interface) of an expression's type, e.g. `Session`, `Driver`. */
function typeName(checker: ts.TypeChecker, node: ts.Expression): string | undefined {
  const type = checker.getTypeAtLocation(node);
  return (type.getSymbol() ?? type.aliasSymbol)?.getName();
}

/** True when `arg` is an object literal with a `routing` property. */
function hasRouting(arg: ts.Expression | undefined): boolean {
  return (
    arg !== undefined &&
    ts.isObjectLiteralExpression(arg) &&
    arg.properties.some((p) => p.name !== undefined && ts.isIdentifier(p.name) && p.name.text === 'routing')
  );
}

/** A type-checked program of `files`, `sources` overriding (or adding) file contents by absolute path. */
function programOf(
  files: string[],
  sources: Record<string, string>,
): { program: ts.Program; wanted: string[] } {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    esModuleInterop: true,
    resolveJsonModule: true,
    noEmit: true,
    types: ['node'],
  };
  const host = ts.createCompilerHost(options, true);
  const planted = new Map(Object.entries(sources).map(([name, text]) => [path.resolve(name), text]));
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (name, version, onError, create) => {
    const text = planted.get(path.resolve(name));
    return text === undefined
      ? getSourceFile(name, version, onError, create)
      : ts.createSourceFile(name, text, version, true);
  };
  host.fileExists = (name) => planted.has(path.resolve(name)) || fileExists(name);
  host.readFile = (name) => planted.get(path.resolve(name)) ?? readFile(name);
  const wanted = [...new Set([...files, ...planted.keys()].map((f) => path.resolve(f)))];
  const program = ts.createProgram(wanted, options, host);
  return { program, wanted };
}

/**
 * Finds, with the TypeScript type checker (the receiver's type, not its variable name), every
 * call under `files` that runs Cypher outside a managed transaction or outside the client's
 * bookmarks. `sources` overrides (or adds) file contents by absolute path, for planted tests.
 *
 * @example
 * scanTransactionCalls(root, ['/repo/src/a.ts']); // [{ file: 'src/a.ts', line: 3, kind: 'auto-commit', … }]
 */
export function scanTransactionCalls(
  root: string,
  files: string[],
  sources: Record<string, string> = {},
): TransactionCall[] {
  const { program, wanted } = programOf(files, sources);
  const checker = program.getTypeChecker();
  const found: TransactionCall[] = [];
  for (const name of wanted) {
    const file = program.getSourceFile(name);
    if (!file) continue;
    const relative = path.relative(root, name).split(path.sep).join('/');
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const method = node.expression.name.text;
        const receiver = typeName(checker, node.expression.expression);
        let kind: TransactionCall['kind'] | undefined;
        if (receiver === 'Session' && method === 'run') kind = 'auto-commit';
        else if (receiver === 'Session' && method === 'beginTransaction') kind = 'unmanaged';
        else if (receiver === 'Session' && (method === 'readTransaction' || method === 'writeTransaction'))
          kind = 'legacy';
        else if (receiver === 'Driver' && method === 'executeQuery' && !hasRouting(node.arguments[2]))
          kind = 'no-routing';
        else if (receiver === 'Driver' && method === 'session') kind = 'bare-session';
        if (kind) {
          const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
          const first = node.arguments[0];
          found.push({
            file: relative,
            line: line + 1,
            kind,
            detail: first ? first.getText(file).replace(/\s+/g, ' ') : '',
          });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return found;
}

/** A `catch` inside a transaction function: it could turn a transient error into one the driver does not retry. */
export interface TransactionCatch {
  /** Path from the package root, `/`-separated. */
  file: string;
  /** 1-based line of the `catch`. */
  line: number;
  /** `try/catch` or `.catch()`, with what the `try` block or `.catch` receiver is (whitespace collapsed, cut at 80). */
  detail: string;
}

/** True when `node` is a function whose parameter is typed as a neo4j transaction. */
function takesTransaction(checker: ts.TypeChecker, node: ts.SignatureDeclaration): boolean {
  return node.parameters.some((p) => {
    const name = typeName(checker, p.name as unknown as ts.Expression);
    return name === 'ManagedTransaction';
  });
}

/**
 * Finds every `try { } catch` and `.catch(…)` inside a transaction function under `files`: a
 * function given to `executeRead` / `executeWrite`, or any function with a parameter typed
 * `ManagedTransaction` (the write-back helpers, the job commit's `write`). The driver retries a
 * transaction function only when the error it throws is the driver's transient one, so such a
 * catch must rethrow the error as it came. `sources` as in {@link scanTransactionCalls}.
 */
export function scanTransactionCatches(
  root: string,
  files: string[],
  sources: Record<string, string> = {},
): TransactionCatch[] {
  const { program, wanted } = programOf(files, sources);
  const checker = program.getTypeChecker();
  const found: TransactionCatch[] = [];
  for (const name of wanted) {
    const file = program.getSourceFile(name);
    if (!file) continue;
    const relative = path.relative(root, name).split(path.sep).join('/');
    const flat = (node: ts.Node) => node.getText(file).replace(/\s+/g, ' ').slice(0, 80);
    const report = (node: ts.Node, detail: string) => {
      const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
      found.push({ file: relative, line: line + 1, detail });
    };
    const inside = (node: ts.Node): void => {
      if (ts.isTryStatement(node) && node.catchClause)
        report(node.catchClause, `try/catch ${flat(node.tryBlock)}`);
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        node.expression.name.text === 'catch'
      )
        report(node.expression.name, `.catch() ${flat(node.expression.expression)}`);
      ts.forEachChild(node, inside);
    };
    const visit = (node: ts.Node): void => {
      const isFunction =
        ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node);
      const parent = node.parent;
      const givenToTransaction =
        isFunction &&
        parent !== undefined &&
        ts.isCallExpression(parent) &&
        ts.isPropertyAccessExpression(parent.expression) &&
        ['executeRead', 'executeWrite'].includes(parent.expression.name.text);
      if (isFunction && (givenToTransaction || takesTransaction(checker, node as ts.SignatureDeclaration))) {
        const body = (node as ts.FunctionLikeDeclaration).body;
        if (body) inside(body);
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return found;
}
