// The run's approval settings, decided by the load activity before any request: which steps wait for
// whom under the worker's policy, who the requester is (a verified signed start, or unknown), and
// whether the run's own approval options are allowed to change the gates. The result goes into the
// run's history with the plan, so the workflow verifies every decision against the same keys on
// every replay.
import { ApplicationFailure } from '@temporalio/activity';
import { type ApprovalPolicy, gatesFor } from '../arazzo/approvals/policy.js';
import type { ApprovalSettings, VerifiedIdentity } from '../arazzo/approvals/settings.js';
import {
  keyFingerprint,
  type Signed,
  type StartStatement,
  startBytes,
  verifySignature,
} from '../arazzo/approvals/signature.js';
import type { Plan } from '../arazzo/plan/types.js';
import type { ApprovalOptions } from '../workflows/types.js';

export interface RunApprovalRequest {
  document: string;
  plan: Plan;
  /** The run's `approval` options and `requester`, as its start event recorded them. */
  approval?: ApprovalOptions;
  requester?: Signed<StartStatement>;
  namespace: string;
  /** The Temporal workflow id of the entry run. */
  workflowId: string;
  webhooks: number;
}

function refuse(type: string, message: string): never {
  throw ApplicationFailure.create({ type, message: `${message}; no request was sent`, nonRetryable: true });
}

export function approvalSettingsFor(policy: ApprovalPolicy | undefined, run: RunApprovalRequest): ApprovalSettings {
  if (!policy) return { webhooks: run.webhooks };
  const switchedOff = run.approval?.mode === 'none';
  if (switchedOff && !policy.requesterMayChangeGates) {
    refuse(
      'ApprovalPolicyRefused',
      `approval "none" would switch off the approval gates, and this worker's approval policy does not let a requester change them\nhint: start the run without "approval": {"mode": "none"}`,
    );
  }
  const added = run.approval?.steps ?? [];
  const gates: Record<string, Record<string, { group?: string; quorum: number }>> = {};
  for (const [workflowId, workflow] of Object.entries(run.plan.workflows)) {
    const steps = workflow.steps.map((s) => ({
      stepId: s.stepId,
      gated: !switchedOff && (s.approval === 'required' || added.includes(s.stepId)),
    }));
    // A run allowed to switch approval off switches off the rules' extra gates too.
    const workflowGates = switchedOff ? {} : gatesFor(policy, run.document, steps);
    if (Object.keys(workflowGates).length) gates[workflowId] = workflowGates;
  }
  const requester = verifyRequester(policy, run);
  if (!requester && policy.unknownRequester === 'refuse' && Object.keys(gates).length) {
    refuse(
      'ApprovalPolicyRefused',
      "requester unknown: this run has steps that need a second person, and the worker's approval policy refuses runs whose requester did not sign the start\nhint: start it with arazzo-temporal start --key <your key file>",
    );
  }
  return {
    webhooks: run.webhooks,
    policy: {
      approvers: policy.approvers.map((a) => ({ name: a.name, publicKey: a.publicKey, groups: [...a.groups] })),
      gates,
      ...(requester ? { requester } : {}),
    },
  };
}

/** A signed start that does not verify is refused (it is a mistake or a forgery, never "unknown"). */
function verifyRequester(policy: ApprovalPolicy, run: RunApprovalRequest): VerifiedIdentity | undefined {
  const signed = run.requester;
  if (signed === undefined) return undefined;
  const s = signed?.statement;
  const key = typeof signed?.publicKey === 'string' ? signed.publicKey.toLowerCase() : '';
  const person = policy.approvers.find((a) => a.publicKey === key);
  if (!s || typeof s !== 'object' || !person)
    refuse('InvalidRequester', 'the signed start is by a key the approval policy does not list');
  let ok = false;
  try {
    ok = verifySignature(startBytes(s), signed.signature, key);
  } catch {
    ok = false;
  }
  if (!ok) refuse('InvalidRequester', `the signed start does not verify with ${person.name}'s key`);
  if (s.namespace !== run.namespace || s.workflowId !== run.workflowId || s.document !== run.document) {
    refuse('InvalidRequester', `the signed start is for another run (${s.namespace}/${s.workflowId}, ${s.document})`);
  }
  if (s.arazzoWorkflowId && s.arazzoWorkflowId !== run.plan.workflowId) {
    refuse(
      'InvalidRequester',
      `the signed start is for Arazzo workflow ${s.arazzoWorkflowId}, not ${run.plan.workflowId}`,
    );
  }
  return { name: person.name, fingerprint: keyFingerprint(key) };
}
