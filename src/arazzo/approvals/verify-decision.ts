// Whether one signed decision may count toward a pending approval, and as whose. Pure and
// deterministic: the workflow's update validator and signal handler call it, so a replay decides the
// same. Each refusal says which rule the decision broke.
import type { GateRequirement } from './policy.js';
import type { RunApprovalPolicy, VerifiedIdentity } from './settings.js';
import { type DecisionStatement, decisionBytes, keyFingerprint, requestDigest, type Signed } from './signature.js';

/** The approval the run waits for, as the workflow knows it. */
export interface WaitingApproval {
  namespace: string;
  workflowId: string;
  runId: string;
  stepId: string;
  approvalId: string;
  method: string;
  url: string;
  requirement: GateRequirement;
  /** Fingerprints of the approvers who already approved this wait. */
  approvedBy: string[];
}

export interface VerifiedDecision extends VerifiedIdentity {
  /** The group the decision counts for (the requirement's, or the approver's first when any group will do). */
  group?: string;
}

export type DecisionCheck = { ok: true; identity: VerifiedDecision } | { ok: false; problem: string };

export function checkSignedDecision(
  policy: RunApprovalPolicy,
  waiting: WaitingApproval,
  kind: 'approve' | 'reject',
  signed: Signed<DecisionStatement> | undefined,
  verify: (bytes: Uint8Array, signature: unknown, publicKey: unknown) => boolean,
): DecisionCheck {
  const no = (problem: string): DecisionCheck => ({ ok: false, problem });
  if (!signed || typeof signed !== 'object' || !signed.statement || typeof signed.statement !== 'object') {
    return no(
      `this worker's approval policy requires a signed ${kind}: arazzo-temporal ${kind} ${waiting.workflowId} --key <your key file>`,
    );
  }
  const s = signed.statement;
  const publicKey = typeof signed.publicKey === 'string' ? signed.publicKey.toLowerCase() : '';
  const approver = policy.approvers.find((a) => a.publicKey === publicKey);
  if (!approver) {
    return no(
      `unknown key${publicKey ? ` ${keyFingerprint(publicKey)}` : ''}: it is not in the worker's approval policy`,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = decisionBytes(s);
  } catch {
    return no('malformed signed statement');
  }
  if (!verify(bytes, signed.signature, publicKey)) {
    return no(`bad signature: the statement was not signed by ${approver.name}'s key (${keyFingerprint(publicKey)})`);
  }
  if (s.namespace !== waiting.namespace || s.workflowId !== waiting.workflowId || s.runId !== waiting.runId) {
    return no(`signed for another run (${s.namespace}/${s.workflowId}/${s.runId}), not this one`);
  }
  if (s.stepId !== waiting.stepId) return no(`signed for step ${s.stepId}, but ${waiting.stepId} is waiting`);
  if (s.approvalId !== waiting.approvalId) {
    return no(`signed for approval id ${s.approvalId}, which is not the current one (${waiting.approvalId})`);
  }
  if (s.decision !== kind) return no(`signed as "${s.decision}", sent as "${kind}"`);
  if (s.requestDigest !== requestDigest(waiting.method, waiting.url)) {
    return no(
      `signed for a different request than the one waiting (${waiting.method} ${waiting.url}): the request digest does not match`,
    );
  }
  const fingerprint = keyFingerprint(publicKey);
  const { group } = waiting.requirement;
  if (group !== undefined && !approver.groups.includes(group)) {
    return no(`${approver.name} is not in group "${group}", which must approve ${waiting.stepId}`);
  }
  const requester = policy.requester;
  if (kind === 'approve' && requester && (requester.fingerprint === fingerprint || requester.name === approver.name)) {
    return no(`${approver.name} started this run and may not approve it (separation of duties)`);
  }
  if (waiting.approvedBy.includes(fingerprint)) return no(`${approver.name} already approved ${waiting.stepId}`);
  return { ok: true, identity: { name: approver.name, fingerprint, group: group ?? approver.groups[0] } };
}
