/**
 * What a Cypher text calls, read from its tokens: comments are skipped, string literals are not
 * looked into, backtick-quoted names are unquoted, keywords match in any case. A second line of
 * defence behind the plan check of the auditors' query gate (src/graph/audit-query-gate.ts): the
 * plan is what Neo4j will run, the text is what the auditor wrote, and both must pass.
 */
export interface CypherTextCalls {
  /** True when the text holds the clause `LOAD CSV`. */
  loadCsv: boolean;
  /** Procedures named after `CALL` (qualified names, e.g. `db.labels`), in order of appearance. */
  procedures: string[];
  /** Namespaced functions called (e.g. `point.distance`), in order of appearance. */
  functions: string[];
}

type TokenKind = 'name' | 'quoted' | 'param' | 'string' | 'number' | 'punct';

interface Token {
  kind: TokenKind;
  text: string;
}

/**
 * Scans a Cypher text for `LOAD CSV`, procedure calls and namespaced function calls.
 *
 * @example
 * scanCypherText("CALL /* x *\/ `dbms`.listConfig() YIELD name RETURN point.distance($a, $b)");
 * // { loadCsv: false, procedures: ['dbms.listConfig'], functions: ['point.distance'] }
 */
export function scanCypherText(text: string): CypherTextCalls {
  const tokens = tokenize(text);
  const calls: CypherTextCalls = { loadCsv: false, procedures: [], functions: [] };
  const isKeyword = (i: number, word: string) =>
    tokens[i]?.kind === 'name' && tokens[i].text.toUpperCase() === word && tokens[i - 1]?.text !== '.';
  for (let i = 0; i < tokens.length; i++) {
    if (isKeyword(i, 'LOAD') && isKeyword(i + 1, 'CSV')) calls.loadCsv = true;
    if (isKeyword(i, 'CALL')) {
      const name = qualifiedName(tokens, i + 1);
      if (name) calls.procedures.push(name.name);
      continue;
    }
    const startsName = tokens[i].kind === 'name' || tokens[i].kind === 'quoted';
    if (!startsName || tokens[i - 1]?.text === '.' || isKeyword(i - 1, 'CALL')) continue;
    const name = qualifiedName(tokens, i);
    if (name && tokens[name.end]?.text === '(') calls.functions.push(name.name);
  }
  return calls;
}

/** A dotted name of at least two parts starting at `start` (`db.labels`, `` `dbms`.`x` ``). */
function qualifiedName(tokens: Token[], start: number): { name: string; end: number } | undefined {
  const isPart = (t: Token | undefined) => t !== undefined && (t.kind === 'name' || t.kind === 'quoted');
  if (!isPart(tokens[start])) return undefined;
  const parts = [tokens[start].text];
  let i = start + 1;
  while (tokens[i]?.text === '.' && isPart(tokens[i + 1])) {
    parts.push(tokens[i + 1].text);
    i += 2;
  }
  return parts.length >= 2 ? { name: parts.join('.'), end: i } : undefined;
}

const namePattern = /[\p{L}_][\p{L}\p{N}_]*/uy;
const numberPattern = /[0-9][\p{L}\p{N}_.]*/uy;

/** Splits Cypher into tokens, dropping whitespace and comments. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (/\s/u.test(c)) {
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      tokens.push({ kind: 'string', text: text.slice(i, j + 1) });
      i = j + 1;
    } else if (c === '`') {
      let j = i + 1;
      let name = '';
      while (j < n) {
        if (text[j] === '`' && text[j + 1] === '`') {
          name += '`';
          j += 2;
        } else if (text[j] === '`') {
          break;
        } else {
          name += text[j++];
        }
      }
      tokens.push({ kind: 'quoted', text: name });
      i = j + 1;
    } else if (c === '$') {
      // A parameter: `$name`, `$0` or `` $`quoted name` `` (never a keyword or a call).
      let j = i + 1;
      if (text[j] === '`') {
        j++;
        while (j < n && !(text[j] === '`' && text[j + 1] !== '`')) j += text[j] === '`' ? 2 : 1;
        j++;
      } else {
        namePattern.lastIndex = j;
        numberPattern.lastIndex = j;
        j += (namePattern.exec(text) ?? numberPattern.exec(text))?.[0].length ?? 0;
      }
      tokens.push({ kind: 'param', text: text.slice(i, j) });
      i = j;
    } else {
      namePattern.lastIndex = i;
      const name = namePattern.exec(text);
      if (name) {
        tokens.push({ kind: 'name', text: name[0] });
        i += name[0].length;
        continue;
      }
      numberPattern.lastIndex = i;
      const number = numberPattern.exec(text);
      if (number) {
        tokens.push({ kind: 'number', text: number[0] });
        i += number[0].length;
        continue;
      }
      tokens.push({ kind: 'punct', text: c });
      i++;
    }
  }
  return tokens;
}
