import { InputError } from '../errors.js';
import { codeVersion } from '../util/code-version.js';

/** `_type` of an in-toto Statement v1. */
const statementType = 'https://in-toto.io/Statement/v1';

/** The kinds of event Traceprop signs a statement for. */
const statementKinds = ['run', 'model', 'attribution', 'erasure', 'key', 'token'] as const;

/** One kind of event (the `<kind>` of the predicate type). */
export type StatementKind = (typeof statementKinds)[number];

/** What a statement is about: a name and its digests (hex). */
export interface StatementSubject {
  name: string;
  digest: { sha256: string };
}

/** An in-toto Statement v1 (https://github.com/in-toto/attestation, spec/v1/statement.md). */
export interface InTotoStatement {
  _type: typeof statementType;
  subject: StatementSubject[];
  /** `https://traceprop.dev/<kind>/v1`. */
  predicateType: string;
  /** The facts: ids, counts, parameters, metrics, content hashes; never row content. */
  predicate: Record<string, unknown>;
}

/** The predicate type of a kind: `https://traceprop.dev/<kind>/v1`. */
function predicateTypeOf(kind: StatementKind): string {
  return `https://traceprop.dev/${kind}/v1`;
}

/** The kind a predicate type names, or undefined when it is not a Traceprop v1 type. */
export function kindOfPredicateType(predicateType: string): StatementKind | undefined {
  const match = /^https:\/\/traceprop\.dev\/([a-z-]+)\/v1$/.exec(predicateType);
  const kind = match?.[1] as StatementKind | undefined;
  return kind && statementKinds.includes(kind) ? kind : undefined;
}

/**
 * An in-toto Statement v1 of a Traceprop event: the predicate gets `codeVersion` (the
 * package.json version) added. Subjects must carry a 64-hex sha256 (`evidence.badStatement`).
 *
 * @example
 * buildStatement('run', [{ name: 'bureau.csv', digest: { sha256: fileId } }], { runId, samples: 20000 });
 */
export function buildStatement(
  kind: StatementKind,
  subject: StatementSubject[],
  predicate: Record<string, unknown>,
): InTotoStatement {
  for (const s of subject) {
    if (!/^[0-9a-f]{64}$/.test(s.digest?.sha256 ?? ''))
      throw new InputError(
        'evidence.badStatement',
        `subject ${JSON.stringify(s.name)} needs a sha256 digest of 64 lowercase hex digits, got ${JSON.stringify(s.digest?.sha256)}`,
      );
  }
  return {
    _type: statementType,
    subject,
    predicateType: predicateTypeOf(kind),
    predicate: { ...predicate, codeVersion: codeVersion() },
  };
}

/** Reads the Statement of an envelope payload (base64); throws `evidence.badStatement`. */
export function statementOfPayload(payload: string): InTotoStatement {
  let value: Partial<InTotoStatement>;
  try {
    value = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
  } catch (err) {
    throw new InputError('evidence.badStatement', 'the envelope payload is not JSON', { cause: err });
  }
  if (
    value?._type !== statementType ||
    !Array.isArray(value.subject) ||
    typeof value.predicateType !== 'string'
  )
    throw new InputError(
      'evidence.badStatement',
      `the envelope payload is not an in-toto Statement v1 (_type ${JSON.stringify(value?._type)})`,
    );
  return value as InTotoStatement;
}
