// What a run takes, reports and returns. One JSON-serializable argument, so that
// `temporal workflow start --type arazzoRun --input '{...}'` works as well as our client.
import type { ApprovalSettings } from '../arazzo/approvals/settings.js';
import type { DecisionStatement, Signed, StartStatement } from '../arazzo/approvals/signature.js';
import type { Plan } from '../arazzo/plan/types.js';
import type { LegacyResumeState } from './legacy.js';
import type { RunRecord } from './run-state.js';

export interface ArazzoRunInput {
  /**
   * The Arazzo document: a path relative to the worker's document root (default: the project's
   * `arazzo/` folder), or an http(s) URL from a host the worker allows.
   */
  document: string;
  /** The Arazzo workflowId to run; the document's first workflow when absent. */
  workflowId?: string;
  /** Workflow inputs. A secret can be given as a reference: `{"$secret": "env:NAME"}`. */
  inputs?: Record<string, unknown>;
  /** Per source-description name, a base URL replacing the description's server (hosts the worker allows). */
  servers?: Record<string, string>;
  /**
   * Secret outputs to deliver instead of keeping them in history: output name (or `stepId.output`) →
   * `<sink>:<name>`, e.g. `{"newConnectionString": "file:prisma-new.txt"}` (the worker's ARAZZO_SECRET_SINK_DIR).
   * The step then records only a reference; later steps using the output read it inside their activity.
   */
  deliver?: Record<string, string>;
  approval?: ApprovalOptions;
  /** Pre-flight errors stop the run before its first request unless this is `run-anyway`. */
  preflight?: 'enforce' | 'run-anyway';
  /** `<stepId>:<code>` entries silencing one pre-flight finding for one step (src/arazzo/preflight/explain.ts). */
  preflightIgnore?: string[];
  lock?: LockOptions;
  /** Strict Arazzo templates: bare `$inputs.x` in a longer string stays literal. */
  strict?: boolean;
  /** Per-step HTTP timeout (Temporal duration string); default '30s'. */
  stepTimeout?: string;
  /** The most step executions one run may make (stops runaway goto loops); default 1000. */
  stepBudget?: number;
  /**
   * Continue as new once history has this many events (also whenever the server suggests it);
   * default 10,000. Only checked between steps, so a long polling or goto loop never grows unbounded.
   */
  continueAsNewAfterEvents?: number;
  /**
   * Who starts the run, signed (`arazzo-temporal start --key FILE`). Without it the requester is
   * unknown, which a worker's approval policy may refuse for runs with a gate.
   */
  requester?: Signed<StartStatement>;
  /** Internal: set for nested runs and continue-as-new, so the document is not loaded again. */
  plan?: Plan;
  /** Internal: a nested run's approval settings, from its parent's load (taken only by a child run). */
  approvalSettings?: ApprovalSettings;
  /** Internal: the load activity's digest of `plan`, carried across continue-as-new (steps name it). */
  planDigest?: string;
  /** Internal: the run's one record, carried across continue-as-new (run-state.ts). */
  resume?: RunRecord | LegacyResumeState;
}

export interface ApprovalOptions {
  /** `default`: DELETE steps and `x-approval: required` steps wait; `none`: no step waits. */
  mode?: 'default' | 'none';
  /** More stepIds that must wait for approval. */
  steps?: string[];
  /** How long a pending approval waits before the run ends as `approval-expired`; default '7d'. */
  timeout?: string;
}

export interface LockOptions {
  /** The lock key for a workflow without `x-lock-key`; a key other than the document's is refused by loadPlan unless the worker allows it (ARAZZO_ALLOW_LOCK_KEY_OVERRIDE). */
  key?: string;
  /** When another run holds the lock: `wait` for it (default) or `fail` at once. */
  onBusy?: 'wait' | 'fail';
  /** How often a waiting run tries again; default '5s'. */
  pollInterval?: string;
}

export type RunState =
  | 'running'
  | 'awaiting-approval'
  | 'needs-attention'
  | 'completed'
  | 'failed'
  | 'rejected'
  | 'approval-expired'
  | 'cancelled'
  | 'compensated';

export type StepStatus =
  | 'pending'
  | 'running'
  | 'awaiting-approval'
  | 'succeeded'
  | 'failed'
  | 'skipped'
  | 'needs-attention'
  | 'compensated';

export interface StepProgress {
  stepId: string;
  status: StepStatus;
  /** `METHOD /path/template` or `workflow <id>`. */
  operation: string;
  httpStatus?: number;
  attempts: number;
  startedAt?: string;
  finishedAt?: string;
  message?: string;
}

export interface PendingApproval {
  approvalId: string;
  stepId: string;
  method: string;
  /** The resolved URL of the destructive request, secrets masked. */
  url: string;
  /** Non-secret path parameter values: what exactly will be affected. */
  target: Record<string, string>;
  /** Every secret minted so far and where it is held (`step.output → secret delivered to file:x`). */
  secrets?: string[];
  requestedAt: string;
  expiresAt: string;
  /** False (or absent in older runs): the worker has no approval policy and decisions are unsigned. */
  authenticated?: boolean;
  /** Said plainly when approvals are not authenticated. */
  notice?: string;
  /** What a signed decision binds (with the step and approval id): present when authenticated. */
  namespace?: string;
  runId?: string;
  /** SHA-256 of `METHOD url` as shown above: what an approver's signature covers. */
  requestDigest?: string;
  /** Who must approve and how many distinct approvers. */
  required?: { group?: string; quorum: number };
  /** Valid approvals given so far for this wait. */
  approvals?: ApprovalVote[];
}

/** One verified approval counted toward a quorum. */
export interface ApprovalVote {
  name: string;
  group?: string;
  fingerprint: string;
  at: string;
}

export interface PendingAttention {
  stepId: string;
  reason: string;
  /** What is known about the request's fate. */
  known: string;
  /** The choices, explained. */
  options: string[];
  /** The decisions the run accepts now; any other is refused (absent in runs recorded before it: all). */
  choices?: OperatorDecision[];
}

/** The decisions an operator can give a run that needs attention (the message names). */
export type OperatorDecision = 'retryStep' | 'supplyOutputs' | 'abort';

export interface ApprovalRecord {
  stepId: string;
  approvalId?: string;
  decision: 'approved' | 'rejected' | 'expired';
  by?: string;
  comment?: string;
  at: string;
  via: 'signal' | 'update';
  /** True when the decision was signed and verified against the worker's approval policy. */
  authenticated?: boolean;
  /** The verified approver's group and key fingerprint (authenticated decisions only). */
  group?: string;
  fingerprint?: string;
}

export interface IgnoredMessage {
  name: string;
  reason: string;
  at: string;
  by?: string;
}

export interface RunProgress {
  state: RunState;
  document: string;
  workflowId: string;
  currentStep?: string;
  /** Why the worker refused the run before any request (loadPlan's reason: the findings, with their locations). */
  refusal?: string;
  steps: StepProgress[];
  pendingApproval?: PendingApproval;
  attention?: PendingAttention;
  approvals: ApprovalRecord[];
  /** The newest messages that did not fit (bounded: see run-state.ts). */
  ignored: IgnoredMessage[];
  /** How many older ignored messages were dropped to keep the list bounded. */
  ignoredDropped?: number;
  /** Outputs so far, secrets masked. */
  outputs: Record<string, unknown>;
  lockKey?: string;
  /** A 1.1 `receive` step waiting for its message: where, for what, until when. */
  waitingForMessage?: MessageWaitProgress;
  /** Who started the run (a verified name and key fingerprint), "unknown", or absent without a policy. */
  requester?: string;
}

export interface MessageWaitProgress {
  stepId: string;
  /** `<protocol>://<host>/<address>`. */
  channel: string;
  correlationId?: string;
  since: string;
  /** Absent: the step has no `timeout` and waits until a message comes or the run is cancelled. */
  until?: string;
}

export interface ArazzoRunResult {
  status: RunState;
  /** The workflow's outputs (secrets masked unless kept for delivery). */
  outputs: Record<string, unknown>;
  steps: StepProgress[];
  approvals: ApprovalRecord[];
  message?: string;
}

// Message payloads.
export interface ApproveArgs {
  stepId: string;
  approvalId?: string;
  by: string;
  comment?: string;
  /** Required under an approval policy: the decision signed by the approver's key. */
  signed?: Signed<DecisionStatement>;
}

export interface RejectArgs {
  stepId: string;
  approvalId?: string;
  by: string;
  reason: string;
  /** Undo completed steps that declare `x-compensation`, in reverse order. */
  compensate?: boolean;
  /** Required under an approval policy: the decision signed by the approver's key. */
  signed?: Signed<DecisionStatement>;
}

export interface RetryStepArgs {
  stepId: string;
  by: string;
  comment?: string;
}

export interface AbortArgs {
  by: string;
  reason: string;
  compensate?: boolean;
}

export interface SupplyOutputsArgs {
  stepId: string;
  by: string;
  /** The outputs the step would have produced; secret values only as `{"$secret": "..."}` references. */
  outputs: Record<string, unknown>;
  /**
   * Continue although the step's secret outputs (the new credential's one-time secret) are not
   * supplied: the operator says explicitly that they are lost. Nothing destructive is then offered
   * until they are supplied; only abort remains.
   */
  secretLost?: boolean;
  comment?: string;
}
