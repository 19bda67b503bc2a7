/**
 * The layout of an offline evidence bundle (docs/evidence.md, *Evidence bundles*): what
 * `export evidence` writes and `verify bundle` reads. Every path is relative to the bundle's
 * directory and uses `/`.
 */

/** Format tag of `manifest.json`. */
export const bundleFormat = 'traceprop.evidence-bundle/1';
/** Format tag of an inclusion proof file. */
export const proofFormat = 'traceprop.inclusion-proof/1';

/** The bundle's fixed file and folder names. */
export const bundlePaths = {
  manifest: 'manifest.json',
  readme: 'README.txt',
  treeHead: 'tree-head.json',
  keys: 'keys',
  statements: 'statements',
  proofs: 'proofs',
} as const;

/** One statement of the bundle, as the manifest lists it. */
export interface BundleStatement {
  /** Hex SHA-256 of the envelope bytes (the `Statement.id`). */
  id: string;
  kind: string;
  /** What it is about (model, run, key id). */
  ref: string | null;
  logIndex: number;
  /** Path of the envelope: the exact bytes of its log entry. */
  envelope: string;
  /** Path of its {@link InclusionProofFile}. */
  proof: string;
}

/** `manifest.json`. */
export interface BundleManifest {
  format: typeof bundleFormat;
  modelId: string;
  exportedAt: string;
  /** Path of the signed tree head (a `traceprop.tree-head/1` file). */
  treeHead: string;
  /** Public keys: SPKI PEM files, by key id. */
  keys: { keyId: string; file: string }[];
  statements: BundleStatement[];
  /** Every other file of the bundle with its SHA-256 (hex) and size. */
  files: { path: string; sha256: string; bytes: number }[];
}

/** An RFC 6962 inclusion proof of one log entry in the bundle's tree head. */
export interface InclusionProofFile {
  format: typeof proofFormat;
  statementId: string;
  logIndex: number;
  /** Size of the tree head the proof is against. */
  treeSize: number;
  /** Hex leaf hash: SHA-256(0x00 ‖ envelope bytes). */
  leafHash: string;
  /** Hex sibling hashes, bottom up (RFC 6962 §2.1.1). */
  auditPath: string[];
}

/** File stem of a statement's envelope and proof: its log index (zero-padded) and kind. */
export function statementStem(logIndex: number, kind: string): string {
  return `${String(logIndex).padStart(6, '0')}-${kind.replace(/[^a-z0-9-]/gi, '_')}`;
}

/** The README.txt of a bundle: what it holds and how an auditor verifies it. */
export function bundleReadme(modelId: string, treeSize: number, keyIds: readonly string[]): string {
  return `Traceprop evidence bundle for model ${modelId}

What is here
  manifest.json     the files of the bundle with their SHA-256, and the statements it holds
  statements/*.dsse.json
                    signed statements (DSSE envelopes holding in-toto Statements v1), byte for
                    byte as logged: the model's, the run it was trained on, the signing keys'
  proofs/*.proof.json
                    for each statement, its RFC 6962 inclusion proof in the tree head below
  tree-head.json    the transparency log's signed tree head (size ${treeSize}) with its public key
  keys/<key id>.pem the public Ed25519 keys (SPKI PEM); key id = SHA-256 of the key's DER:
                      openssl pkey -pubin -in keys/ID.pem -outform DER | sha256sum
                    key ids: ${keyIds.join(', ')}

How to verify (no database needed)
  traceprop verify bundle DIR --key-id KEY_ID
  KEY_ID is the signing key you obtained from the operator by another channel: with it, the
  bundle's tree head must be signed by that key. The command checks the digests in
  manifest.json, each envelope's Ed25519 signature (over the DSSE pre-authentication encoding),
  each inclusion proof against the tree head's root, and the tree head's signature, and names
  every failure (file, statement, check).

By hand
  A statement's leaf hash is SHA-256(0x00 || envelope file bytes); its inclusion proof is checked
  with RFC 9162 section 2.1.3.2 against the root in tree-head.json. The tree head's signature
  covers the text "traceprop.dev/tree-head/v1\\nsize N\\nroot HEX\\nat TIME\\n". Keep tree-head.json:
  \`traceprop verify log --from tree-head.json\` later proves the log only grew since.
  Formats: docs/evidence.md in the Traceprop repository.
`;
}
