// One Arazzo step = one `runStep` activity. This module is the one way a step (or its compensation)
// is scheduled: its input (a reference to the step in the run's recorded plan plus only the context
// values the step reads), its options (activity id, summary, timeout, retry policy), and what a
// failure of the activity means for the run.
import { ActivityFailure, ApplicationFailure, proxyActivities, TimeoutFailure } from '@temporalio/workflow';
import { isIdempotentMethod, isSuccessStatus } from '../arazzo/http/semantics.js';
import { referencedContext, stepExpressionText } from '../arazzo/plan/referenced-context.js';
import type { Plan, PlanStep } from '../arazzo/plan/types.js';
import type { DeliveredInfo } from '../arazzo/secrets/refs.js';
import type { ArazzoActivities, RunStepInput, StepResult } from '../activities/index.js';
import { nonRetryableTypes } from './contract.js';
import { inlineStepWork } from './legacy.js';
import type { RunOptions } from './run-options.js';
import type { RunState } from './run-state.js';

const { runStep } = proxyActivities<ArazzoActivities>({ startToCloseTimeout: '1 minute' });

/** What a run fixes for all its steps. */
export interface StepSettings {
  plan: Plan;
  /** The recorded plan's digest; absent only in histories recorded before children had one (legacy.ts). */
  planDigest?: string;
  servers?: Record<string, string>;
  deliver?: Record<string, string>;
  options: RunOptions;
}

/** `METHOD /path` or `workflow <id>`: how a step is shown in progress, summaries and messages. */
export function describeStep(step: PlanStep): string {
  if (step.message)
    return `${step.message.action} ${step.message.channel.server.protocol}:${step.message.channel.address}`;
  return step.operation ? `${step.operation.method} ${step.operation.pathTemplate}` : `workflow ${step.workflowId}`;
}

export class StepActivities {
  /** Each step's expressions as JSON text, to send it only the context it reads. */
  private readonly texts = new Map<string, string>();

  constructor(
    private readonly settings: StepSettings,
    private readonly state: RunState,
  ) {}

  /** The digest steps are scheduled by (children and continued runs get the same). */
  get planDigest(): string | undefined {
    return this.settings.planDigest;
  }

  /** Sends the step's request once (Temporal retries idempotent methods; a POST is never re-sent). */
  // Not `async`: it returns the activity's own promise (the SDK records a stack trace for every promise
  // a workflow creates, so a wrapper per step costs more than it reads).
  // `lockWorkflowId`: the step is scheduled with the start of the run's lock; its reference goes under
  // `underLock` (run-step.ts), so its activity sends nothing before it has seen the lock held by this run.
  // The caller marks the step started once the lock's start is recorded: until then it is pending, like
  // any step behind a lock.
  runStep(step: PlanStep, afterAmbiguous: boolean, lockWorkflowId?: string): Promise<StepResult> {
    const count = this.state.countExecution(step.stepId);
    if (!lockWorkflowId) this.state.startStep(step.stepId);
    let input: RunStepInput = { ...this.input(step, 'step'), afterAmbiguous, deliver: this.settings.deliver };
    if (lockWorkflowId) {
      // Only fresh runs take this path, and they schedule by reference (interpreter.ts checks the digest).
      const { ref, ...rest } = input;
      input = { ...rest, underLock: { lockWorkflowId, ref: ref! } };
    }
    return runStep.executeWithOptions(
      {
        activityId: count === 1 ? step.stepId : `${step.stepId}#${count}`,
        summary: `${step.stepId}: ${describeStep(step)}`,
        ...this.timeoutAndRetry(step.operation!.method, step.timeoutMs),
      },
      [input],
    );
  }

  /** Runs the step's `x-compensation` (the caller checked that it has one). */
  /** `withdraw`: the secrets the step delivered to sinks, removed once the undo succeeded. */
  runCompensation(step: PlanStep, withdraw: DeliveredInfo[] = []): Promise<StepResult> {
    const undo = step.compensation!;
    const input = this.input(step, 'compensation');
    return runStep.executeWithOptions(
      {
        activityId: `${step.stepId}:compensate`,
        summary: `${step.stepId}: undo with ${undo.operation.method} ${undo.operation.pathTemplate}`,
        ...this.timeoutAndRetry(undo.operation.method),
      },
      [withdraw.length ? { ...input, withdraw } : input],
    );
  }

  private input(step: PlanStep, part: 'step' | 'compensation'): RunStepInput {
    const { plan, planDigest, servers, options } = this.settings;
    const operation = part === 'step' ? step.operation! : step.compensation!.operation;
    return {
      stepId: part === 'step' ? step.stepId : `${step.stepId}:compensate`,
      ...(planDigest
        ? { ref: { digest: planDigest, workflowId: plan.workflowId, stepId: step.stepId, part } }
        : inlineStepWork(step, part)),
      context: this.context(step, part),
      strict: plan.strict,
      serverUrl: servers?.[operation.sourceName],
      timeoutMs: options.stepTimeoutMs,
    };
  }

  /** The values `step` (or its compensation) reads; everything else stays out of its scheduled input. */
  private context(step: PlanStep, part: 'step' | 'compensation') {
    const key = `${part} ${step.stepId}`;
    let text = this.texts.get(key);
    if (text === undefined) {
      text = stepExpressionText(step, part);
      this.texts.set(key, text);
    }
    return referencedContext(text, this.state.context());
  }

  /**
   * An Arazzo 1.1 step `timeout` is the activity's schedule-to-close timeout: the whole step, with
   * Temporal's retries of an idempotent request, must finish within it (the server enforces it, no
   * timer runs in the activity). Steps without one (every 1.0 step) are scheduled as before.
   */
  private timeoutAndRetry(method: string, stepTimeoutMs?: number) {
    const startToCloseTimeout = this.settings.options.stepTimeoutMs + 5_000;
    if (stepTimeoutMs === undefined) return { startToCloseTimeout, retry: retryPolicyFor(method) };
    return {
      startToCloseTimeout: Math.min(startToCloseTimeout, stepTimeoutMs),
      scheduleToCloseTimeout: stepTimeoutMs,
      retry: retryPolicyFor(method),
    };
  }
}

/** Idempotent requests are retried by Temporal with backoff; a POST/PATCH never is (it could create twice). */
export function retryPolicyFor(method: string) {
  return isIdempotentMethod(method)
    ? {
        maximumAttempts: 5,
        initialInterval: '1s',
        backoffCoefficient: 2,
        maximumInterval: '30s',
        nonRetryableErrorTypes: nonRetryableTypes('runStep'),
      }
    : { maximumAttempts: 1 };
}

/** What the failure of a step activity means for the run. */
export interface StepFailure {
  /** The request provably had no effect, or the step can't be built: no operator can fix it by retrying. */
  fatal: boolean;
  type: string;
  message: string;
  /** What is known about the request's fate, for the operator. */
  known: string;
  /** The server may have acted on the request. */
  ambiguous: boolean;
}

export function classifyStepFailure(step: PlanStep, err: unknown): StepFailure {
  const request = describeStep(step);
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) {
    if (cause.type === 'RequestBuildError') {
      return { fatal: true, type: cause.type, message: cause.message, known: 'nothing was sent', ambiguous: false };
    }
    if (cause.type === 'RequestNotSent') {
      return {
        fatal: false,
        type: cause.type,
        message: `${request} could not be sent: ${cause.message}`,
        known:
          'the request never left this machine (connection refused or name not resolved); nothing happened on the server',
        ambiguous: false,
      };
    }
    return {
      fatal: false,
      type: cause.type ?? 'StepError',
      message: `${request} failed: ${cause.message}`,
      known: 'the request may have reached the server; whether it took effect is unknown',
      ambiguous: true,
    };
  }
  if (cause instanceof TimeoutFailure) {
    return {
      fatal: false,
      type: 'StepTimeout',
      message: `${request} did not complete in time (the worker may have died mid-call)`,
      known: 'the request may have been sent and acted on; its response was never recorded',
      ambiguous: true,
    };
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  return {
    fatal: false,
    type: 'StepError',
    message: `${request} failed: ${message}`,
    known: 'unknown',
    ambiguous: true,
  };
}

/** Why a step failed, in one line: request, status, the criterion that did not hold. */
export function failureMessage(result: StepResult): string {
  if (result.timedOut) {
    return `${result.method} ${result.url} did not complete within the step's timeout of ${result.timedOut.afterMs} ms`;
  }
  const why = result.failedCriterion ? whyFalse(result.failedCriterion) : 'failed';
  // A destructive request the server accepted has happened, whatever the document expected: say so.
  const consequence =
    isSuccessStatus(result.statusCode) && result.method === 'DELETE'
      ? `. The server accepted the DELETE (HTTP ${result.statusCode}): the target is already deleted, although the document expected otherwise`
      : '';
  return `${result.method} ${result.url} answered ${result.statusCode}; ${why}${consequence}`;
}

/** A failed criterion in words. Explanations often start with their condition already: not twice. */
function whyFalse(criterion: NonNullable<StepResult['failedCriterion']>): string {
  const explanation = criterion.explanation ?? '';
  if (explanation.startsWith(criterion.condition)) return explanation;
  return `\`${criterion.condition}\` is false${explanation ? `: ${explanation}` : ''}`;
}

/** The step's line in the progress: why it failed, or what else to know (a secret no sink took). */
export function describeOutcome(result: StepResult, note?: string): string | undefined {
  const message = result.alreadyGone
    ? 'already gone (an earlier attempt had done it)'
    : result.timedOut
      ? `timed out after ${result.timedOut.afterMs} ms (the step's timeout)`
      : result.successful
        ? note
        : result.failedCriterion
          ? whyFalse(result.failedCriterion)
          : 'failed';
  // A secret no sink took stays the output's value (encrypted history); the approval prompt says so.
  const undelivered = (result.undelivered ?? []).map(
    (u) => `${u.output} not delivered to ${u.to} (${u.reason}): kept in this run's encrypted history`,
  );
  return [message, ...undelivered].filter(Boolean).join('; ') || undefined;
}

/**
 * The step's own 1.1 `timeout` passed (Temporal timed its activity out): the spec's "the step fails
 * and onFailure applies", not an unknown outcome for an operator. Undefined for any other failure.
 * Failure actions without criteria apply; those with criteria cannot hold (there is no response).
 */
export function resultOfStepTimeout(step: PlanStep, err: unknown): StepResult | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (step.timeoutMs === undefined || !(cause instanceof TimeoutFailure)) return undefined;
  return {
    stepId: step.stepId,
    method: step.operation?.method ?? '',
    url: step.operation?.pathTemplate ?? '',
    statusCode: 0,
    successful: false,
    outputs: {},
    unresolvedOutputs: [],
    matched: { success: [], failure: step.actions.failure.map((a) => a.criteria.length === 0) },
    durationMs: step.timeoutMs,
    attempt: 1,
    timedOut: { afterMs: step.timeoutMs },
  };
}

/** The StepResult of a step that ran no request (a nested workflow, or outputs an operator supplied). */
export function resultWithoutRequest(
  step: PlanStep,
  outputs: Record<string, unknown>,
  attempt: number,
  url = step.operation?.pathTemplate ?? '',
): StepResult {
  return {
    stepId: step.stepId,
    method: step.operation?.method ?? 'WORKFLOW',
    url,
    statusCode: 0,
    successful: true,
    outputs,
    unresolvedOutputs: [],
    matched: { success: step.actions.success.map((a) => a.criteria.length === 0), failure: [] },
    durationMs: 0,
    attempt,
  };
}
