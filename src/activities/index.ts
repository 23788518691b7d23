// The worker's activities, built from the worker's policy (what it allows is the operator's choice,
// never a run's input).
import type { WorkerPolicy } from './config.js';
import { type LoadPlanInput, type LoadPlanResult, makeLoadPlan } from './load-plan.js';
import { type ChannelRuntime, type MessageActivities, makeMessageActivities } from './message-steps.js';
import { makeNotifyApproval, type NotifyApprovalInput } from './notify-approval.js';
import { PlanStore } from './plan-store.js';
import { makeRunStep, type RunStepInput, type StepResult } from './run-step.js';

export interface ArazzoActivities {
  loadPlan(input: LoadPlanInput): Promise<LoadPlanResult>;
  runStep(input: RunStepInput): Promise<StepResult>;
}

/** Approval notices (posted only when the worker has webhooks; a run never depends on them). */
export interface ApprovalActivities {
  notifyApproval(input: NotifyApprovalInput): Promise<void>;
}

/**
 * `channels`: the worker's message bindings and channel listener, for Arazzo 1.1 channel steps (without
 * them, such a step fails with ChannelNotAvailable before anything is sent or awaited).
 */
export function createActivities(
  policy: WorkerPolicy,
  channels?: ChannelRuntime,
): ArazzoActivities & ApprovalActivities & MessageActivities {
  // One store per set of activities: the plans loadPlan builds are the ones runStep looks up first.
  const plans = new PlanStore();
  return {
    loadPlan: makeLoadPlan(policy, plans),
    runStep: makeRunStep(policy, plans),
    notifyApproval: makeNotifyApproval(policy),
    ...makeMessageActivities(policy, channels),
  };
}

export type { ChannelRuntime, MessageActivities };
export type { LoadPlanInput, LoadPlanResult, NotifyApprovalInput, RunStepInput, StepResult };
