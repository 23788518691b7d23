// Signed approvals: what a signature binds, and checking it. Pure (ed25519 and SHA-256 from @noble,
// audited JavaScript with no I/O and no randomness when verifying), so the workflow verifies a
// decision inside its sandbox and a replay verifies it the same way.
//
// A statement is signed as the UTF-8 bytes of a fixed-order JSON array (never a re-serialised object,
// whose key order could differ between signer and verifier), prefixed with what it is.
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';

/** One decision about one pending approval of one run, as the approver signed it. */
export interface DecisionStatement {
  namespace: string;
  /** The Temporal workflow id and run id: a signature is worth nothing on another run. */
  workflowId: string;
  runId: string;
  stepId: string;
  /** A new id each time a step starts waiting: a signature for an earlier wait is stale. */
  approvalId: string;
  decision: 'approve' | 'reject';
  /** `requestDigest(method, url)` of the request the approval prompt showed. */
  requestDigest: string;
  /** When the approver signed (their clock; the audit trail records workflow time too). */
  signedAt: string;
}

/** Who starts a run: bound to the namespace, the workflow id and what it runs. */
export interface StartStatement {
  namespace: string;
  workflowId: string;
  document: string;
  /** The Arazzo workflowId ('' for the document's first). */
  arazzoWorkflowId: string;
  signedAt: string;
}

/** A statement with its signature and the signer's public key (hex, 32 bytes). */
export interface Signed<T> {
  statement: T;
  publicKey: string;
  /** ed25519 signature (hex, 64 bytes) of `signedBytes(statement)`. */
  signature: string;
}

const DECISION_PREFIX = 'arazzo-temporal decision v1\n';
const START_PREFIX = 'arazzo-temporal start v1\n';

export function decisionBytes(s: DecisionStatement): Uint8Array {
  const fields = [s.namespace, s.workflowId, s.runId, s.stepId, s.approvalId, s.decision, s.requestDigest, s.signedAt];
  return utf8ToBytes(DECISION_PREFIX + JSON.stringify(fields));
}

export function startBytes(s: StartStatement): Uint8Array {
  const fields = [s.namespace, s.workflowId, s.document, s.arazzoWorkflowId, s.signedAt];
  return utf8ToBytes(START_PREFIX + JSON.stringify(fields));
}

/** The digest of the exact request an approval allows: method and URL as the approval prompt shows them. */
export function requestDigest(method: string, url: string): string {
  return bytesToHex(sha256(utf8ToBytes(`${method.toUpperCase()} ${url}`)));
}

/** A short, stable name for a public key: the first 16 hex digits of its SHA-256. */
export function keyFingerprint(publicKeyHex: string): string {
  return `ed25519:${bytesToHex(sha256(utf8ToBytes(publicKeyHex.toLowerCase()))).slice(0, 16)}`;
}

const HEX = /^[0-9a-f]+$/i;

/** True when `signature` is `publicKey`'s signature of `bytes`; false for anything malformed. */
export function verifySignature(bytes: Uint8Array, signatureHex: unknown, publicKeyHex: unknown): boolean {
  if (typeof signatureHex !== 'string' || typeof publicKeyHex !== 'string') return false;
  if (signatureHex.length !== 128 || publicKeyHex.length !== 64) return false;
  if (!HEX.test(signatureHex) || !HEX.test(publicKeyHex)) return false;
  try {
    return ed25519.verify(hexToBytes(signatureHex), bytes, hexToBytes(publicKeyHex));
  } catch {
    return false;
  }
}

/** Signs with a 32-byte ed25519 secret key (hex). Used by the CLI; the workflow only verifies. */
export function signBytes(bytes: Uint8Array, secretKeyHex: string): string {
  return bytesToHex(ed25519.sign(bytes, hexToBytes(secretKeyHex)));
}

export function publicKeyOf(secretKeyHex: string): string {
  return bytesToHex(ed25519.getPublicKey(hexToBytes(secretKeyHex)));
}

export function signDecision(statement: DecisionStatement, secretKeyHex: string): Signed<DecisionStatement> {
  return {
    statement,
    publicKey: publicKeyOf(secretKeyHex),
    signature: signBytes(decisionBytes(statement), secretKeyHex),
  };
}

export function signStart(statement: StartStatement, secretKeyHex: string): Signed<StartStatement> {
  return { statement, publicKey: publicKeyOf(secretKeyHex), signature: signBytes(startBytes(statement), secretKeyHex) };
}
