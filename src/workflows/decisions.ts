// What people decide about a run: approve or reject a destructive step, and, when the run needs
// attention, retry the step, supply its outputs or abort. The shape of the SDK samples'
// safe-message-handlers: the messages are declared in contract.ts, every handler is wired here to
// this class, and the class owns the decision state (in the run's one record). Each decision is a
// signal and an update with ONE validator: the update refuses a decision that does not fit, the
// signal records it under `ignored` with the same reason.
import type { SignalDefinition, UpdateDefinition } from '@temporalio/common';
import { condition, setHandler, uuid4, workflowInfo } from '@temporalio/workflow';
import type { ApprovalNotice } from '../arazzo/approvals/notice.js';
import type { GateRequirement } from '../arazzo/approvals/policy.js';
import { UNAUTHENTICATED_NOTICE } from '../arazzo/approvals/settings.js';
import { requestDigest, verifySignature } from '../arazzo/approvals/signature.js';
import { checkSignedDecision, type DecisionCheck } from '../arazzo/approvals/verify-decision.js';
import { buildOperationRequest } from '../arazzo/plan/operation-request.js';
import { isUndecodable } from '../codec/undecodable.js';
import type { PlanStep } from '../arazzo/plan/types.js';
import { isSecretName, maskRecord } from '../arazzo/secrets/mask.js';
import {
  abortSignal,
  abortUpdate,
  approveSignal,
  approveUpdate,
  progressQuery,
  rejectSignal,
  rejectUpdate,
  retryStepSignal,
  retryStepUpdate,
  supplyOutputsSignal,
  supplyOutputsUpdate,
} from './contract.js';
import type { Ending } from './ending.js';
import { isPatched } from './patches.js';
import { missingSecretOutputs } from './secrets-held.js';
import { type ApprovalDecision, type Decision, now, type OperatorChoice, type RunState } from './run-state.js';
import type {
  AbortArgs,
  ApproveArgs,
  OperatorDecision,
  PendingApproval,
  PendingAttention,
  RejectArgs,
  RetryStepArgs,
  SupplyOutputsArgs,
} from './types.js';

/** What the approver is shown and how long they have. */
export interface ApprovalTarget {
  /** The run's server overrides and template mode, to build the exact request (secrets masked). */
  servers?: Record<string, string>;
  strict: boolean;
  /** Temporal duration text, as the run gave it, and in milliseconds. */
  timeout: string;
  timeoutMs: number;
  /** Where each secret minted so far is held (secrets-held.ts). */
  secrets: string[];
  /**
   * Runs with approval settings (patches.ts `signedApprovals`): the policy's requirement for this
   * step (decisions must be signed), or none (decisions are unsigned and the prompt says so); and
   * where to send notices. Absent in histories recorded before: the prompt is as it was.
   */
  auth?: { requirement?: GateRequirement; notify: (notice: ApprovalNotice) => void };
}

/** What the validators need to know of the run's plan (set once it is loaded). */
export interface DecisionContext {
  step(stepId: string): PlanStep | undefined;
  deliver?: Record<string, string>;
}

export class Decisions {
  private context?: DecisionContext;

  constructor(private readonly state: RunState) {}

  /** The plan is known: validators can check supplied outputs against the step. */
  setContext(context: DecisionContext) {
    this.context = context;
  }

  // ------------------------------------------------------------------ waiting for a person

  /**
   * A destructive step waits here for approve or reject. Undefined when approved (the step runs);
   * otherwise how the run ends: expired or rejected (nothing destructive sent), or rejected with
   * compensation (`undo` undoes the completed steps first).
   */
  async awaitApproval(step: PlanStep, target: ApprovalTarget, undo: () => Promise<void>): Promise<Ending | undefined> {
    const state = this.state;
    const requestedAt = now();
    state.record.decision = undefined;
    const base: PendingApproval = {
      approvalId: uuid4(),
      stepId: step.stepId,
      ...this.preview(step, target),
      secrets: target.secrets,
      requestedAt,
      expiresAt: new Date(Date.parse(requestedAt) + target.timeoutMs).toISOString(),
    };
    const auth = target.auth;
    state.setPendingApproval(auth ? withAuthentication(base, auth.requirement) : base);
    state.awaitApproval(step.stepId, isPatched('stepAwaitingApproval'));
    state.setState('awaiting-approval');
    auth?.notify(noticeOf(state.progress.pendingApproval!, 'waiting'));
    const decided = await condition(() => state.record.decision !== undefined, target.timeout, {
      summary: `awaiting approval of ${step.stepId}`,
    });
    const pending = state.progress.pendingApproval!;
    const { approvalId } = pending;
    state.setPendingApproval(undefined);
    const decision = this.take() as ApprovalDecision | undefined;
    if (!decided || !decision) {
      state.recordApproval({ stepId: step.stepId, approvalId, decision: 'expired', at: now(), via: 'signal' });
      state.finishStep(step.stepId, 'skipped', undefined, `approval expired after ${target.timeout}`);
      auth?.notify(noticeOf(pending, 'expired', undefined, `not decided within ${target.timeout}`));
      return {
        kind: 'approval-expired',
        message: `approval of ${step.stepId} was not given within ${target.timeout}; nothing destructive was sent`,
      };
    }
    if (decision.kind === 'approve') {
      auth?.notify(noticeOf(pending, 'approved', approversOf(pending, decision.args.by)));
      state.setState('running');
      return undefined;
    }
    const { reason, compensate } = decision.args;
    const by = decision.verifiedBy ?? decision.args.by;
    auth?.notify(noticeOf(pending, 'rejected', [by], reason));
    state.finishStep(step.stepId, 'skipped', undefined, `rejected by ${by}: ${reason}`);
    if (!compensate) return { kind: 'rejected', message: `rejected by ${by}: ${reason}` };
    await undo();
    return { kind: 'compensated', message: `rejected by ${by} (${reason}); completed steps undone` };
  }

  /** The run needs a person: says why and what they can do, and waits for their choice. */
  async awaitOperator(attention: PendingAttention): Promise<OperatorChoice> {
    const state = this.state;
    state.record.decision = undefined;
    state.finishStep(attention.stepId, 'needs-attention', undefined, attention.reason);
    state.setAttention(attention);
    state.setState('needs-attention');
    await condition(() => state.record.decision !== undefined);
    state.setAttention(undefined);
    state.setState('running');
    return this.take() as OperatorChoice;
  }

  /** The decision the walk was waiting for; the record keeps none once it is acted on. */
  private take(): Decision | undefined {
    const decision = this.state.record.decision;
    this.state.record.decision = undefined;
    return decision;
  }

  /** The exact target of a destructive step: method, URL, non-secret path parameter values. */
  private preview(
    step: PlanStep,
    target: ApprovalTarget,
  ): { method: string; url: string; target: Record<string, string> } {
    if (!step.operation) return { method: 'WORKFLOW', url: step.workflowId ?? '', target: {} };
    try {
      const built = buildOperationRequest(
        { operation: step.operation, parameters: step.parameters, requestBody: step.requestBody },
        this.state.context(),
        { serverUrl: target.servers?.[step.operation.sourceName], strict: target.strict },
      );
      return {
        method: built.method,
        url: built.url,
        target: maskRecord(built.resolved.path, this.state.secretNames) as Record<string, string>,
      };
    } catch {
      return { method: step.operation.method, url: step.operation.pathTemplate, target: {} };
    }
  }

  // ------------------------------------------------------------------ validators (one per decision)

  /** What approve and reject share: something is pending, for this step and this wait. */
  private pendingProblem(args: ApproveArgs | RejectArgs): string | undefined {
    const pending = this.state.progress.pendingApproval;
    const decided = this.state.record.decision;
    if (!args || typeof args.stepId !== 'string') return 'give {"stepId": ..., "by": ...}';
    if (!pending) return `no approval is pending (state: ${this.state.progress.state})`;
    if (decided) return `step ${pending.stepId} was already ${decided.kind}d`;
    if (args.stepId !== pending.stepId)
      return `step ${args.stepId} is not awaiting approval (pending: ${pending.stepId})`;
    if (args.approvalId !== undefined && args.approvalId !== pending.approvalId) {
      return `approvalId ${args.approvalId} is stale (current: ${pending.approvalId})`;
    }
    return undefined;
  }

  private approveProblem = (args: ApproveArgs): string | undefined => {
    const common = this.pendingProblem(args);
    if (common) return common;
    // Under an approval policy who approves is proven by a signature, not typed.
    if (this.state.progress.pendingApproval?.authenticated) return problemOf(this.signedCheck(args, 'approve'));
    if (!args.by) return '"by" (who approves) is required';
    return undefined;
  };

  private rejectProblem = (args: RejectArgs): string | undefined => {
    const common = this.pendingProblem(args);
    if (common) return common;
    if (this.state.progress.pendingApproval?.authenticated) {
      return args.reason ? problemOf(this.signedCheck(args, 'reject')) : '"reason" is required';
    }
    if (!args.by) return '"by" (who approves) is required';
    return args.reason ? undefined : '"reason" is required';
  };

  /** A signed decision against the pending approval and the run's policy (pure, so replay decides the same). */
  private signedCheck(args: ApproveArgs | RejectArgs, kind: 'approve' | 'reject'): DecisionCheck {
    const pending = this.state.progress.pendingApproval!;
    const policy = this.state.record.approvalSettings?.policy;
    if (!policy) return { ok: false, problem: 'this run has no approval policy' };
    return checkSignedDecision(
      policy,
      {
        namespace: pending.namespace ?? '',
        workflowId: workflowInfo().workflowId,
        runId: pending.runId ?? '',
        stepId: pending.stepId,
        approvalId: pending.approvalId,
        method: pending.method,
        url: pending.url,
        requirement: pending.required ?? { quorum: 1 },
        approvedBy: (pending.approvals ?? []).map((a) => a.fingerprint),
      },
      kind,
      args.signed,
      verifySignature,
    );
  }

  private attentionProblem(
    args: { stepId?: string; by?: string },
    decision: OperatorDecision,
    needsStep: boolean,
  ): string | undefined {
    const attention = this.state.progress.attention;
    if (!attention) return `the run does not need attention (state: ${this.state.progress.state})`;
    if (this.state.record.decision) return 'a decision was already given';
    if (attention.choices && !attention.choices.includes(decision)) {
      return `${decision} is not a choice here (${attention.choices.join(' or ')}): ${attention.options.join('; ')}`;
    }
    if (needsStep && args?.stepId !== attention.stepId)
      return `step ${args?.stepId} does not need attention (it is ${attention.stepId})`;
    if (!args?.by) return '"by" is required';
    return undefined;
  }

  /** While an approval is pending, abort means reject (with the same compensation choice). */
  private approvalOpen(): boolean {
    return this.state.progress.pendingApproval !== undefined && this.state.record.decision === undefined;
  }

  private abortProblem = (args: AbortArgs): string | undefined => {
    if (this.approvalOpen()) return args?.by && args.reason ? undefined : '"by" and "reason" are required';
    return this.attentionProblem(args, 'abort', false) ?? (args.reason ? undefined : '"reason" is required');
  };

  private retryProblem = (args: RetryStepArgs) => this.attentionProblem(args, 'retryStep', true);

  private supplyProblem = (args: SupplyOutputsArgs) =>
    this.attentionProblem(args, 'supplyOutputs', true) ??
    (args.outputs && typeof args.outputs === 'object' ? plainSecretProblem(args.outputs) : '"outputs" is required') ??
    this.lostSecretProblem(args);

  /** Supplying a create's id without its one-time secret loses the new credential: only if said so. */
  private lostSecretProblem(args: SupplyOutputsArgs): string | undefined {
    const step = this.context?.step(args.stepId);
    if (!step || args.secretLost === true) return undefined;
    const merged = { ...(this.state.record.stepOutputs[args.stepId] ?? {}), ...args.outputs };
    const missing = missingSecretOutputs(step, merged, this.context?.deliver, this.state.secretNames);
    if (!missing.length) return undefined;
    return (
      `${missing.join(', ')} of ${args.stepId} ${missing.length > 1 ? 'hold' : 'holds'} the one-time secret of what it created: ` +
      'without it nobody can use the new credential. Supply it as {"$secret": "env:NAME"} or {"$secret": "file:NAME"}, ' +
      'or repeat with "secretLost": true: the run then goes on but offers nothing destructive until the secret is held, ' +
      'and abort with {"compensate": true} deletes what it created'
    );
  }

  // ------------------------------------------------------------------ decisions

  private approve = (args: ApproveArgs, via: 'signal' | 'update') => {
    const pending = this.state.progress.pendingApproval!;
    const verified = pending.authenticated ? this.signedCheck(args, 'approve') : undefined;
    if (verified?.ok) {
      // One more distinct, verified approver; the step runs once the quorum is reached.
      const { name, group, fingerprint } = verified.identity;
      const at = now();
      pending.approvals = [...(pending.approvals ?? []), { name, group, fingerprint, at }];
      this.state.recordApproval({
        stepId: args.stepId,
        approvalId: pending.approvalId,
        decision: 'approved',
        by: name,
        comment: args.comment,
        at,
        via,
        authenticated: true,
        group,
        fingerprint,
      });
      const quorum = pending.required?.quorum ?? 1;
      const missing = quorum - pending.approvals.length;
      if (missing > 0) {
        this.state.setPendingApproval(pending);
        return `approval ${pending.approvals.length} of ${quorum} for ${args.stepId} recorded (${name}); ${missing} more needed${pending.required?.group ? ` from group "${pending.required.group}"` : ''}`;
      }
    } else {
      this.state.recordApproval({
        stepId: args.stepId,
        approvalId: pending.approvalId,
        decision: 'approved',
        by: args.by,
        comment: args.comment,
        at: now(),
        via,
        ...(pending.authenticated === false ? { authenticated: false } : {}),
      });
    }
    this.state.record.decision = { kind: 'approve', args };
    return `approved ${args.stepId}; executing ${pending.method} ${pending.url}`;
  };

  private reject = (args: RejectArgs, via: 'signal' | 'update') => {
    const pending = this.state.progress.pendingApproval!;
    const verified = pending.authenticated && args.signed ? this.signedCheck(args, 'reject') : undefined;
    const identity = verified?.ok ? verified.identity : undefined;
    this.state.record.decision = { kind: 'reject', args, ...(identity ? { verifiedBy: identity.name } : {}) };
    this.state.recordApproval({
      stepId: args.stepId,
      approvalId: pending.approvalId,
      decision: 'rejected',
      by: identity?.name ?? args.by,
      comment: args.reason,
      at: now(),
      via,
      ...(identity
        ? { authenticated: true, group: identity.group, fingerprint: identity.fingerprint }
        : pending.authenticated === undefined
          ? {}
          : { authenticated: false }),
    });
    return `rejected ${args.stepId}${args.compensate ? '; undoing completed steps' : ''}`;
  };

  private abort = (args: AbortArgs, via: 'signal' | 'update') => {
    if (this.approvalOpen()) {
      const pending = this.state.progress.pendingApproval!;
      const { by, reason, compensate } = args;
      return this.reject({ stepId: pending.stepId, approvalId: pending.approvalId, by, reason, compensate }, via);
    }
    this.state.record.decision = { kind: 'abort', args };
    return `aborting${args.compensate ? ' and undoing completed steps' : ''}`;
  };

  private retry = (args: RetryStepArgs) => {
    this.state.record.decision = { kind: 'retry', args };
    return `retrying ${args.stepId}`;
  };

  private supply = (args: SupplyOutputsArgs) => {
    this.state.record.decision = { kind: 'supply', args };
    return `continuing after ${args.stepId} with supplied outputs`;
  };

  // ------------------------------------------------------------------ wiring

  register(): void {
    setHandler(progressQuery, () => this.state.progress, {
      description: 'Where the run is: state, steps, pending approval, outputs (secrets masked).',
    });
    this.both(
      'approve',
      approveSignal,
      approveUpdate,
      this.approveProblem,
      (a) => this.approve(a, 'signal'),
      (a) => this.approve(a, 'update'),
      {
        signal: 'Approve the pending destructive step: {"stepId", "approvalId"?, "by", "comment"?}',
        update: 'Approve the pending destructive step (refused with the reason when it does not fit).',
      },
    );
    this.both(
      'reject',
      rejectSignal,
      rejectUpdate,
      this.rejectProblem,
      (a) => this.reject(a, 'signal'),
      (a) => this.reject(a, 'update'),
      {
        signal: 'Reject the pending step: {"stepId", "approvalId"?, "by", "reason", "compensate"?}',
        update: 'Reject the pending step (refused with the reason when it does not fit).',
      },
    );
    this.both('retryStep', retryStepSignal, retryStepUpdate, this.retryProblem, this.retry, this.retry, {
      signal: 'Send the step that needs attention again: {"stepId", "by"}',
      update: 'Send the step that needs attention again.',
    });
    this.both(
      'abort',
      abortSignal,
      abortUpdate,
      this.abortProblem,
      (a) => this.abort(a, 'signal'),
      (a) => this.abort(a, 'update'),
      {
        signal: 'End the run: {"by", "reason", "compensate"?}',
        update: 'End the run, optionally undoing completed steps.',
      },
    );
    this.both('supplyOutputs', supplyOutputsSignal, supplyOutputsUpdate, this.supplyProblem, this.supply, this.supply, {
      signal: 'Continue with outputs the operator supplies: {"stepId", "by", "outputs"}',
      update: 'Continue with outputs the operator supplies.',
    });
  }

  /** One decision as a signal (ignored-and-recorded when it does not fit) and an update (refused). */
  private both<A extends { by?: string }>(
    name: string,
    signal: SignalDefinition<[A]>,
    update: UpdateDefinition<string, [A]>,
    problemOf: (args: A) => string | undefined,
    viaSignal: (args: A) => unknown,
    viaUpdate: (args: A) => string,
    descriptions: { signal: string; update: string },
  ) {
    // A message the worker could not decrypt arrives as a placeholder (src/codec/undecodable.ts): it
    // is refused or recorded with why, never acted on and never fatal to the run.
    const problemWith = (args: A) =>
      isUndecodable(args) ? `undecodable ${name}: ${args.$undecodable}` : problemOf(args);
    setHandler(
      signal,
      (args: A) => {
        const problem = problemWith(args);
        const by = isUndecodable(args) ? undefined : args?.by;
        if (problem) this.state.recordIgnored({ name, reason: problem, at: now(), by });
        else viaSignal(args);
      },
      { description: descriptions.signal },
    );
    setHandler(update, viaUpdate, {
      validator: (args: A) => {
        const problem = problemWith(args);
        if (problem) throw new Error(problem);
      },
      description: descriptions.update,
    });
  }
}

function problemOf(check: DecisionCheck): string | undefined {
  return check.ok ? undefined : check.problem;
}

/** The pending approval of a run with approval settings: signed (a policy) or said plainly to be unauthenticated. */
function withAuthentication(base: PendingApproval, requirement: GateRequirement | undefined): PendingApproval {
  if (!requirement) return { ...base, authenticated: false, notice: UNAUTHENTICATED_NOTICE };
  const info = workflowInfo();
  return {
    ...base,
    authenticated: true,
    namespace: info.namespace,
    runId: info.runId,
    requestDigest: requestDigest(base.method, base.url),
    required: requirement,
    approvals: [],
  };
}

function noticeOf(
  pending: PendingApproval,
  kind: ApprovalNotice['kind'],
  by?: string[],
  reason?: string,
): ApprovalNotice {
  return {
    kind,
    stepId: pending.stepId,
    approvalId: pending.approvalId,
    method: pending.method,
    url: pending.url,
    requestedAt: pending.requestedAt,
    expiresAt: pending.expiresAt,
    authenticated: pending.authenticated === true,
    ...(pending.required ? { required: pending.required } : {}),
    ...(by ? { by } : {}),
    ...(reason ? { reason } : {}),
  };
}

/** Who approved: the verified approvers of a quorum, or what an unsigned sender typed. */
function approversOf(pending: PendingApproval, typed: string): string[] {
  return pending.approvals?.length ? pending.approvals.map((a) => a.name) : [typed];
}

/** Operators may supply secrets only as references, so they never enter history in plain text. */
function plainSecretProblem(outputs: Record<string, unknown>): string | undefined {
  for (const [name, value] of Object.entries(outputs)) {
    if (isSecretName(name) && typeof value === 'string')
      return `output "${name}" is a secret: give it as {"$secret": "env:NAME"} or {"$secret": "file:NAME"}`;
  }
  return undefined;
}
