import type { Notification, ResultSummary } from 'neo4j-driver';
import { type ErrorCodeOf, UsageError } from '../errors.js';
import { type GraphClient, withSession } from './connection.js';
import { scanCypherText } from './cypher-text-scan.js';
import { type PlainRecord, runReadQuery } from './read-query.js';

/**
 * Procedures an auditor's query may call: read-only, non-administrative, and telling nothing
 * about the server beyond the graph's own schema and data. Everything else is refused, notably
 * `dbms.*` (configuration, connections, JMX, version, killing connections), `db.clearQueryCaches`,
 * `db.prepareForReplanning` and `db.stats.*` (administration), `db.resampleIndex(es)` (changes
 * statistics), `db.awaitIndex(es)` (blocks), `db.create*` (writes), `tx.*` and any plugin
 * procedure (`apoc.*`, …). docs/auditor-queries.md explains the list.
 */
export const auditProcedureAllowlist: readonly string[] = [
  'db.labels',
  'db.relationshipTypes',
  'db.propertyKeys',
  'db.schema.visualization',
  'db.schema.nodeTypeProperties',
  'db.schema.relTypeProperties',
  'db.index.fulltext.queryNodes',
  'db.index.fulltext.queryRelationships',
  'db.index.vector.queryNodes',
  'db.index.vector.queryRelationships',
];

/**
 * `SHOW …` commands an auditor's query may use (plan operators): the schema catalogue.
 * `SHOW SETTINGS` (configuration and paths), `SHOW TRANSACTIONS` (other sessions' queries and
 * parameters), `TERMINATE TRANSACTIONS` and the administration commands on the system database
 * (`SHOW USERS`, `SHOW DATABASES`, …) are refused.
 */
const auditShowOperatorAllowlist: readonly string[] = [
  'ShowIndexes',
  'ShowConstraints',
  'ShowProcedures',
  'ShowFunctions',
];

/**
 * Namespaced functions an auditor's query may call: Neo4j 5.26's built-in ones (compared without
 * regard to case, as Neo4j does). Functions without a namespace are all built-in (Neo4j refuses
 * to register user-defined functions there); namespaced user-defined functions (`apoc.*`, …) are
 * refused. A newer Neo4j's new built-ins are refused until they are added here.
 */
export const auditBuiltInFunctions: readonly string[] = [
  'date.realtime',
  'date.statement',
  'date.transaction',
  'date.truncate',
  'datetime.fromepoch',
  'datetime.fromepochmillis',
  'datetime.realtime',
  'datetime.statement',
  'datetime.transaction',
  'datetime.truncate',
  'duration.between',
  'duration.inDays',
  'duration.inMonths',
  'duration.inSeconds',
  'graph.byElementId',
  'graph.byName',
  'localdatetime.realtime',
  'localdatetime.statement',
  'localdatetime.transaction',
  'localdatetime.truncate',
  'localtime.realtime',
  'localtime.statement',
  'localtime.transaction',
  'localtime.truncate',
  'point.distance',
  'point.withinBBox',
  'time.realtime',
  'time.statement',
  'time.transaction',
  'time.truncate',
  'vector.similarity.cosine',
  'vector.similarity.euclidean',
];

/** Operators that run parts of the query in transactions of their own (`CALL { … } IN TRANSACTIONS`). */
const ownTransactionOperators = new Set(['TransactionApply', 'TransactionForeach']);

const allowedProcedures = new Set(auditProcedureAllowlist);
const allowedProceduresLower = new Set(auditProcedureAllowlist.map((p) => p.toLowerCase()));
const allowedShowOperators = new Set(auditShowOperatorAllowlist);
const allowedFunctionsLower = new Set(auditBuiltInFunctions.map((f) => f.toLowerCase()));

/** The prefix that turns a query into its plan; positions in Neo4j's messages are shifted back by its length. */
const explainPrefix = 'EXPLAIN ';

/** How a query fared at the gate. */
export interface AuditQueryCheck {
  /** True when an earlier check of the same text and parameter names was reused (no EXPLAIN). */
  cached: boolean;
  /** Milliseconds the check took (the EXPLAIN round trip, or ~0 when cached). */
  ms: number;
}

/** The rows of an auditor's query and what the gate cost. */
export interface AuditQueryResult {
  rows: PlainRecord[];
  check: AuditQueryCheck;
  /** Milliseconds the query itself took. */
  runMs: number;
}

/** A plan operator as neo4j-driver reports it (`summary.plan`). */
interface PlanNode {
  operatorType: string;
  arguments: Record<string, unknown>;
  children: PlanNode[];
}

/**
 * The auditors' query gate: checks a query before it runs, for `traceprop cypher` and any other
 * place that runs Cypher written by someone else (an HTTP route). Each query is first planned
 * with `EXPLAIN` (nothing runs; Neo4j's own errors — syntax, unknown procedure or function — come
 * back as `UsageError`s with its message) and refused, with a `UsageError` (exit code 2) naming
 * what was refused, when:
 *
 * - its plan or text holds `LOAD CSV` (`cypher.loadCsvRefused`): the database would fetch a URL or
 *   read a file on the server's behalf (server-side request forgery);
 * - it calls a procedure not in {@link auditProcedureAllowlist} (`cypher.procedureRefused`) or a
 *   namespaced function not in {@link auditBuiltInFunctions} (`cypher.functionRefused`);
 * - it runs an administration or `SHOW` command outside {@link auditShowOperatorAllowlist}, uses
 *   `CALL { … } IN TRANSACTIONS`, or targets another database with `USE`
 *   (`cypher.commandRefused`);
 * - Neo4j classifies it as a write (`cypher.writeRefused`);
 * - a parameter it uses is not given (`cypher.missingParameter`).
 *
 * Only then does it run, as an auto-commit query in a READ session (which refuses writes a second
 * time). The plan is the authority (comments, case, backticks and nesting cannot hide an
 * operator); the text scan is a second line in case a plan renders a nested call differently.
 * Allowed verdicts are cached per query text and parameter names (plans do not depend on
 * parameter values), so a repeated query costs one round trip, not two.
 *
 * @example
 * const gate = new AuditQueryGate(client);
 * const { rows } = await gate.run('MATCH (s:Sample {id: $id}) RETURN s.split AS split', { id });
 */
export class AuditQueryGate {
  private readonly allowed = new Map<string, true>();

  constructor(
    private readonly client: GraphClient,
    private readonly options: { cacheSize?: number } = {},
  ) {}

  /** Checks a query (see the class comment); throws the refusal, resolves when it may run. */
  async check(cypher: string, params: Record<string, unknown> = {}): Promise<AuditQueryCheck> {
    const started = performance.now();
    const key = `${Object.keys(params).sort().join(',')}\u0000${cypher}`;
    if (this.allowed.has(key)) return { cached: true, ms: performance.now() - started };
    const textRefusal = refusalOfText(cypher);
    const summary = await this.explain(cypher, params);
    const refusal =
      planRefusal(summary.plan as PlanNode | false, this.client.database) ??
      textRefusal ??
      queryTypeRefusal(summary.queryType) ??
      missingParameterRefusal(summary.notifications);
    if (refusal) throw refusal;
    this.remember(key);
    return { cached: false, ms: performance.now() - started };
  }

  /** Checks a query, then runs it read-only and returns its rows as plain objects. */
  async run(cypher: string, params: Record<string, unknown> = {}): Promise<AuditQueryResult> {
    const check = await this.check(cypher, params);
    const started = performance.now();
    const rows = await runReadQuery(this.client, cypher, params);
    return { rows, check, runMs: performance.now() - started };
  }

  private async explain(cypher: string, params: Record<string, unknown>): Promise<ResultSummary> {
    try {
      return await withSession(
        this.client,
        async (session) =>
          (await session.executeRead((tx) => tx.run(`${explainPrefix}${cypher}`, params))).summary,
        'READ',
      );
    } catch (err) {
      if (err instanceof UsageError) throw unshiftPositions(err);
      throw err;
    }
  }

  private remember(key: string): void {
    const size = this.options.cacheSize ?? 256;
    if (size <= 0) return;
    if (this.allowed.size >= size) this.allowed.delete(this.allowed.keys().next().value as string);
    this.allowed.set(key, true);
  }
}

/** Why a plan may not run, or undefined. Walks every operator, nested ones included. */
function planRefusal(plan: PlanNode | false | undefined, database: string): UsageError | undefined {
  if (!plan) return refused('cypher.commandRefused', 'Neo4j gave no plan for the query');
  const root = plan.arguments ?? {};
  if (root.runtime === 'SCHEMA') {
    return refused(
      'cypher.commandRefused',
      `the query is a schema command (${baseOperator(plan.operatorType)}); auditors' queries read the graph only`,
    );
  }
  if (root.runtime === 'SYSTEM' || root.planner === 'ADMINISTRATION') {
    return refused(
      'cypher.commandRefused',
      `the query is an administration command (${baseOperator(plan.operatorType)} on the system database); auditors' queries read the graph only`,
    );
  }
  const stack: PlanNode[] = [plan];
  while (stack.length) {
    const node = stack.pop() as PlanNode;
    const refusal = operatorRefusal(node, database);
    if (refusal) return refusal;
    stack.push(...(node.children ?? []));
  }
  return undefined;
}

function operatorRefusal(node: PlanNode, database: string): UsageError | undefined {
  const [operator, onDatabase] = node.operatorType.split('@');
  const details = typeof node.arguments?.Details === 'string' ? node.arguments.Details : '';
  if (onDatabase !== undefined && onDatabase !== database) {
    return refused(
      'cypher.commandRefused',
      `the query runs ${operator} on database ${JSON.stringify(onDatabase)}; auditors' queries read database ${JSON.stringify(database)} only (no USE of another database)`,
    );
  }
  if (operator === 'LoadCSV' || /\bLOAD\s+CSV\b/i.test(details)) return loadCsvRefusal(operator);
  if (operator === 'ProcedureCall') {
    const name = details.slice(0, details.indexOf('(')).trim();
    if (!allowedProcedures.has(name)) return procedureRefusal(name || '(unnamed)', operator);
  }
  // A procedure called inside a nested plan (e.g. COLLECT { CALL … } in a list comprehension).
  for (const match of details.matchAll(/ResolvedCall\(\s*([^\s(]+)\s*\(/g)) {
    if (!allowedProcedures.has(match[1])) return procedureRefusal(match[1], operator);
  }
  if (/^(Show|Terminate)/.test(operator) && !allowedShowOperators.has(operator)) {
    return refused(
      'cypher.commandRefused',
      `the query runs the command ${operator} (operator ${operator}); auditors may use only ${auditShowOperatorAllowlist.join(', ')} among SHOW commands`,
    );
  }
  if (ownTransactionOperators.has(operator)) {
    return refused(
      'cypher.commandRefused',
      `the query uses CALL { … } IN TRANSACTIONS (operator ${operator}); auditors' queries run in one read transaction`,
    );
  }
  return undefined;
}

/** Why a query's text may not run (LOAD CSV, procedures, functions), or undefined. */
export function refusalOfText(cypher: string): UsageError | undefined {
  const calls = scanCypherText(cypher);
  if (calls.loadCsv) return loadCsvRefusal('LOAD CSV in the text');
  const procedure = calls.procedures.find((p) => !allowedProceduresLower.has(p.toLowerCase()));
  if (procedure) return procedureRefusal(procedure, 'CALL in the text');
  const fn = calls.functions.find((f) => !allowedFunctionsLower.has(f.toLowerCase()));
  if (fn) {
    return refused(
      'cypher.functionRefused',
      `the function ${fn} is not one of Neo4j's built-in functions; auditors' queries may call built-in functions only (see docs/auditor-queries.md)`,
    );
  }
  return undefined;
}

function queryTypeRefusal(queryType: string | undefined): UsageError | undefined {
  if (queryType === 'w' || queryType === 'rw') {
    return refused(
      'cypher.writeRefused',
      `the query tries to write (Neo4j plans it as query type ${queryType}); auditors' queries are read-only`,
    );
  }
  if (queryType === 's') {
    return refused(
      'cypher.commandRefused',
      "the query changes the schema or the database system (Neo4j plans it as query type s); auditors' queries are read-only",
    );
  }
  return undefined;
}

function missingParameterRefusal(notifications: Notification[] | undefined): UsageError | undefined {
  const missing = (notifications ?? []).find(
    (n) => n.code === 'Neo.ClientNotification.Statement.ParameterNotProvided',
  );
  if (!missing) return undefined;
  const names = /Missing parameters?: ([^)]*)\)/.exec(missing.description)?.[1]?.trim();
  return new UsageError(
    'cypher.missingParameter',
    `the query uses the parameter${names?.includes(',') ? 's' : ''} ${names ?? '(see the query)'} and none was given (pass it with --param name=value)`,
  );
}

function loadCsvRefusal(where: string): UsageError {
  return refused(
    'cypher.loadCsvRefused',
    `the query uses LOAD CSV (${where}); auditors' queries may not make the database fetch URLs or read files`,
  );
}

function procedureRefusal(name: string, where: string): UsageError {
  return refused(
    'cypher.procedureRefused',
    `the procedure ${name} is not on the auditors' allowlist (${where}); allowed: ${auditProcedureAllowlist.join(', ')}`,
  );
}

function refused(code: ErrorCodeOf<'UsageError'>, reason: string): UsageError {
  return new UsageError(code, `refused: ${reason}`);
}

function baseOperator(operatorType: string): string {
  return operatorType.split('@')[0];
}

/** Neo4j's positions refer to the EXPLAIN-prefixed text: give them for the auditor's text. */
function unshiftPositions(err: UsageError): UsageError {
  const shift = explainPrefix.length;
  const message = err.message.replace(
    /\(line (\d+), column (\d+) \(offset: (\d+)\)\)/g,
    (_all, line: string, column: string, offset: string) => {
      const col = line === '1' ? Math.max(1, Number(column) - shift) : Number(column);
      return `(line ${line}, column ${col} (offset: ${Math.max(0, Number(offset) - shift)}))`;
    },
  );
  if (message === err.message) return err;
  return new UsageError(err.code as ErrorCodeOf<'UsageError'>, message, { cause: err.cause });
}
