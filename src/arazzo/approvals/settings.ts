// What the workflow knows of the worker's approval policy: the load activity returns it, so it is in
// the run's history (a replay verifies signatures against the same keys, whatever the worker's file
// says by then), and continue-as-new and nested runs carry it on.
import type { Approver, GateRequirement } from './policy.js';

export interface ApprovalSettings {
  /** Absent: the worker has no approval policy; decisions are unsigned and not authenticated. */
  policy?: RunApprovalPolicy;
  /** How many webhooks the worker posts approval notifications to (their URLs stay in the worker). */
  webhooks: number;
}

export interface RunApprovalPolicy {
  /** Public keys only: whoever reads the history learns nothing they could sign with. */
  approvers: Approver[];
  /** Per Arazzo workflow of the plan, per step: who must approve and how many. */
  gates: Record<string, Record<string, GateRequirement>>;
  /** Who started the run, from a verified signed start; absent: "requester unknown". */
  requester?: VerifiedIdentity;
}

export interface VerifiedIdentity {
  name: string;
  fingerprint: string;
}

/** The text every prompt, progress and detail view shows when approvals are not authenticated. */
export const UNAUTHENTICATED_NOTICE =
  'approvals are NOT authenticated: this worker has no approval policy (ARAZZO_APPROVAL_POLICY), so "by" is whatever the sender typed and anyone who can signal the run can approve it';
