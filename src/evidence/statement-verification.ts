// The shape of a statement with its verification, as `GET /api/statements/:kind/:id` answers it:
// declared once for the server (src/evidence/verified-statements.ts) and the web bundle
// (src/web/evidence-panel.ts, type-only import). No imports here: the web bundle's type check
// (src/web/tsconfig.json, DOM lib, no Node types) reads this file too.

/** What `verifiedStatementsAbout` (and `GET /api/statements/:kind/:id`) lists statements about. */
export type StatementOwnerKind = 'model' | 'run' | 'erasure';

/** One statement with the outcome of `traceprop verify statement ID` on it. */
export interface VerifiedStatement {
  id: string;
  kind: string;
  ref: string;
  logIndex: number;
  /** When its log entry was appended (ISO), or null. */
  at: string | null;
  /** `verified`: signature, key and inclusion proof all hold; `failed`: one does not (see `error`). */
  verification: 'verified' | 'failed';
  /** The keys whose signatures verified (empty when failed). */
  keyIds: string[];
  /** The tree size the inclusion proof was checked against (null when failed). */
  treeSize: number | null;
  /** Why it failed: the verify error's code and message. */
  error: { code: string; message: string } | null;
}
