// The interpreter's public contract, in one module: the workflow type, its messages (each operator
// decision as a signal and as an update of the same name), its query, the search attributes it
// upserts and the failure types a run can end with. The CLI, the demo, the tests and the workflow
// itself import from here, so a name or an argument type cannot drift between caller and handler.
//
// Signals are what `temporal workflow signal` sends: never refused, but ignored-and-recorded when
// they do not fit. Updates are our CLI's path: the same validator refuses a mistake at once.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AbortArgs, ApproveArgs, RejectArgs, RetryStepArgs, RunProgress, SupplyOutputsArgs } from './types.js';

/** `temporal workflow start --type arazzoRun`. */
export const WORKFLOW_TYPE = 'arazzoRun';

export const progressQuery = defineQuery<RunProgress>('progress');

export const approveSignal = defineSignal<[ApproveArgs]>('approve');
export const rejectSignal = defineSignal<[RejectArgs]>('reject');
export const retryStepSignal = defineSignal<[RetryStepArgs]>('retryStep');
export const abortSignal = defineSignal<[AbortArgs]>('abort');
export const supplyOutputsSignal = defineSignal<[SupplyOutputsArgs]>('supplyOutputs');

export const approveUpdate = defineUpdate<string, [ApproveArgs]>('approve');
export const rejectUpdate = defineUpdate<string, [RejectArgs]>('reject');
export const retryStepUpdate = defineUpdate<string, [RetryStepArgs]>('retryStep');
export const abortUpdate = defineUpdate<string, [AbortArgs]>('abort');
export const supplyOutputsUpdate = defineUpdate<string, [SupplyOutputsArgs]>('supplyOutputs');

// Search attributes: runs can be found and filtered in the Web UI and with `temporal workflow list
// --query`. The project's dev server registers them; on other clusters they are optional (the
// workflow only upserts the ones the namespace has, as the load activity found them). They change with the
// run's state, in one upsert (patches.ts `upsertsOnStateChange`): ArazzoStep is the step that state concerns
// (awaiting approval, needing attention, or where the run was at the change), not updated per step started.
export const ArazzoWorkflowId = defineSearchAttributeKey('ArazzoWorkflowId', SearchAttributeType.KEYWORD);
export const ArazzoStep = defineSearchAttributeKey('ArazzoStep', SearchAttributeType.KEYWORD);
export const ArazzoState = defineSearchAttributeKey('ArazzoState', SearchAttributeType.KEYWORD);
/**
 * The channels a run waits on at a 1.1 `receive` step, as `<protocol>://<host>/<address>`: how a channel
 * listener that starts later (a new worker, after a crash) finds the runs it must feed (message-contract.ts).
 */
export const ArazzoWaitingOn = defineSearchAttributeKey('ArazzoWaitingOn', SearchAttributeType.KEYWORD_LIST);
export const arazzoSearchAttributes = [ArazzoWorkflowId, ArazzoStep, ArazzoState, ArazzoWaitingOn] as const;

/**
 * Every failure type a run (or one of its activities) can raise, and whether Temporal may retry the
 * activity that raised it. The retry policies' `nonRetryableErrorTypes` are derived from this table.
 */
export const FAILURE_TYPES = {
  // The load activity: the same input would fail the same way.
  InvalidDocument: { retryable: false, raisedBy: 'loadPlan' },
  InvalidInputs: { retryable: false, raisedBy: 'loadPlan' },
  PreflightFailed: { retryable: false, raisedBy: 'loadPlan' },
  DocumentNotAllowed: { retryable: false, raisedBy: 'loadPlan' },
  InvalidServerOverride: { retryable: false, raisedBy: 'loadPlan' },
  InvalidDelivery: { retryable: false, raisedBy: 'loadPlan' },
  SecretNotAllowed: { retryable: false, raisedBy: 'loadPlan' },
  SecretNotFound: { retryable: false, raisedBy: 'loadPlan' },
  SecretHostNotAllowed: { retryable: false, raisedBy: 'loadPlan' },
  /** The run's approval options or requester are not what the worker's approval policy allows. */
  ApprovalPolicyRefused: { retryable: false, raisedBy: 'loadPlan' },
  InvalidRequester: { retryable: false, raisedBy: 'loadPlan' },
  // The step activity.
  RequestBuildError: { retryable: false, raisedBy: 'runStep' },
  PlanNotFound: { retryable: false, raisedBy: 'runStep' },
  /** Retryable for idempotent methods only (the activity sets nonRetryable for the others). */
  RequestNotSent: { retryable: true, raisedBy: 'runStep' },
  RequestOutcomeUnknown: { retryable: true, raisedBy: 'runStep' },
  TransientHttpStatus: { retryable: true, raisedBy: 'runStep' },
  /** A first step scheduled with its lock saw another holder: nothing was sent, the run waits for the lock. */
  LockNotHeld: { retryable: false, raisedBy: 'runStep' },
  // The run itself.
  StepFailed: { retryable: false, raisedBy: 'workflow' },
  StepBudgetExceeded: { retryable: false, raisedBy: 'workflow' },
  Aborted: { retryable: false, raisedBy: 'workflow' },
  CompensationFailed: { retryable: false, raisedBy: 'workflow' },
  NestedWorkflowFailed: { retryable: false, raisedBy: 'workflow' },
  LockBusy: { retryable: false, raisedBy: 'workflow' },
  StepTimeout: { retryable: false, raisedBy: 'workflow' },
  StepError: { retryable: false, raisedBy: 'workflow' },
} as const satisfies Record<string, { retryable: boolean; raisedBy: 'loadPlan' | 'runStep' | 'workflow' }>;

export type ArazzoFailureType = keyof typeof FAILURE_TYPES;

/** The failure types an activity raises that retrying cannot fix. */
export function nonRetryableTypes(raisedBy: 'loadPlan' | 'runStep'): ArazzoFailureType[] {
  return (Object.keys(FAILURE_TYPES) as ArazzoFailureType[]).filter(
    (type) => FAILURE_TYPES[type].raisedBy === raisedBy && !FAILURE_TYPES[type].retryable,
  );
}
