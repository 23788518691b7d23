// One Arazzo step = one execution of this activity: build the request (pure engine), send it, judge
// the response (pure engine), and return only what the workflow needs. The response body stays
// here: a 1 MB listing puts into history only the outputs that reference it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { activityInfo, ApplicationFailure, cancellationSignal, getClient, sleep } from '@temporalio/activity';
import type { CriterionResult } from '../arazzo/criteria/index.js';
import type { ExpressionContext } from '../arazzo/expressions/index.js';
import type { StepActions } from '../arazzo/flow/index.js';
import type { Criterion } from '../arazzo/model.js';
import {
  type buildOperationRequest,
  judgeCriteria,
  judgeStep,
  type OperationCall,
  parseRetryAfter,
  responseContext,
} from '../arazzo/plan/step-execution.js';
import { RequestBuildError } from '../arazzo/request/index.js';
import { isIdempotentMethod, isSuccessStatus, isTransientStatus } from '../arazzo/http/semantics.js';
import type { DeliveredInfo } from '../arazzo/secrets/refs.js';
import { SecretRefError } from '../secrets/resolver.js';
import { sinksFor, type WithdrawOutcome } from '../secrets/sinks.js';
import { StepSecrets } from '../secrets/step-secrets.js';
import { noSecretPolicy } from '../secrets/policy.js';
import type { WorkerPolicy } from './config.js';
import { urlHostAllowed } from '../arazzo/request/hosts.js';
import { findCreatedResource } from '../arazzo/plan/created-resources.js';
import { verifiedServerUrl } from '../secrets/seal.js';
import { type HttpOutcome, sendHttp } from './http.js';
import { confirmLockHeld } from './lock-held.js';
import { PlanNotFoundError, type PlanStepRef, PlanStore } from './plan-store.js';
import { broughtOwnInternals } from './run-history.js';
import type { Plan, PlanStep } from '../arazzo/plan/types.js';

export interface RunStepInput {
  stepId: string;
  /** The step in the run's recorded plan: how the interpreter schedules every step. */
  ref?: PlanStepRef;
  /** Compatibility only (see legacyInlineWork): the step copied inline, as recorded histories hold it. */
  call?: OperationCall;
  judge?: StepJudge;
  undo?: StepUndo;
  /** Only the values the step's expressions name (see referenced-context.ts). */
  context: ExpressionContext;
  strict: boolean;
  /** Replaces the description's server for this step's source. */
  serverUrl?: string;
  timeoutMs: number;
  /** A previous execution's outcome is unknown (worker died, connection reset after sending). */
  afterAmbiguous?: boolean;
  /** The run's `deliver` map: which outputs go to a secret sink instead of history. */
  deliver?: Record<string, string>;
  /**
   * Compensation only: secrets the undone step delivered to a sink. Once the undo succeeded, what they
   * unlock is gone, so each is removed from its sink (when it still holds the delivered value).
   */
  withdraw?: DeliveredInfo[];
  /**
   * A fresh run's first step, scheduled with the start of its lock: the step's reference travels here, in
   * place of `ref`, with the lock's workflow id. Nothing is sent until that lock runs with this run as its
   * parent (lock-held.ts). A worker that does not know this field (an older version, during a rolling
   * upgrade) finds no step to send and refuses with RequestBuildError, having sent nothing, rather than
   * sending before the lock is held.
   */
  underLock?: { lockWorkflowId: string; ref: PlanStepRef };
}

export interface StepResult {
  stepId: string;
  method: string;
  url: string;
  statusCode: number;
  successful: boolean;
  failedCriterion?: Pick<CriterionResult, 'condition' | 'explanation'>;
  outputs: Record<string, unknown>;
  unresolvedOutputs: string[];
  matched: { success: boolean[]; failure: boolean[] };
  retryAfterSeconds?: number;
  /** A DELETE repeated after an ambiguous failure found nothing: it had already happened. */
  alreadyGone?: boolean;
  /**
   * A create (POST) the server accepted although the step failed: the identifiers in the response, and
   * its one-time secrets (delivered to the worker's sink, or kept encrypted; always shown masked).
   */
  created?: { ids: Record<string, string>; secrets: Record<string, unknown> };
  /**
   * Secrets the run asked to deliver (`deliver`) that no sink took: the requested name and the name
   * derived from it for this run were both taken, the sink failed, or this worker has no such sink.
   * Never lost: each stays the value of its output (or of `created.secrets`), so it lives only in the
   * run's encrypted history, as when no sink is configured. `output` is the output's name (for a failed
   * create's secret, its pointer in the response), `to` the requested `sink:name`, `reason` why (no
   * secret in it). The run should stop and show this to an operator before going on.
   */
  undelivered?: Array<{ output: string; to: string; reason: string }>;
  /** Compensation: what became of each delivered secret of the undone step (`withdraw`). */
  withdrawn?: Array<{ name: string; outcome: WithdrawOutcome | 'failed' }>;
  /** Set by the workflow (never the activity): the step's 1.1 `timeout` passed before it completed. */
  timedOut?: { afterMs: number };
  durationMs: number;
  attempt: number;
}

type StepJudge = { successCriteria: Criterion[]; outputs: Record<string, string>; actions: StepActions };
type StepUndo = { successCriteria: Criterion[]; alreadyDoneStatuses: number[] };
/** `self`: the plan document's 1.1 `$self`, which `$self` expressions read. */
type StepWork = { call: OperationCall; judge?: StepJudge; undo?: StepUndo; self?: string };

/**
 * Compatibility only: a step scheduled with its operation, criteria and outputs copied inline, as
 * nested runs did before they were given their parent's plan digest (workflows/legacy.ts). Such an
 * input exists only in histories recorded then; every run today schedules by reference.
 */
function legacyInlineWork(input: RunStepInput): StepWork {
  if (!input.call) {
    throw ApplicationFailure.create({
      type: 'RequestBuildError',
      message: `step ${input.stepId}: neither a plan reference nor an inline call; nothing was sent`,
      nonRetryable: true,
    });
  }
  return { call: input.call, judge: input.judge, undo: input.undo };
}

/** What the step sends and how it is judged: the step of the run's recorded plan. */
async function stepWork(input: RunStepInput, plans: PlanStore): Promise<StepWork> {
  if (!input.ref) return legacyInlineWork(input);
  const { digest, workflowId, stepId, part } = input.ref;
  let plan: Plan;
  try {
    plan = await plans.get(digest);
  } catch (err) {
    if (!(err instanceof PlanNotFoundError)) throw err;
    throw ApplicationFailure.create({
      type: 'PlanNotFound',
      message: `step ${input.stepId}: ${err.message}; nothing was sent`,
      nonRetryable: true,
    });
  }
  const step = plan.workflows[workflowId]?.steps.find((s) => s.stepId === stepId);
  const source = part === 'compensation' ? step?.compensation : step;
  if (!source?.operation) {
    throw ApplicationFailure.create({
      type: 'PlanNotFound',
      message: `step ${input.stepId}: the run's plan has no ${part} ${workflowId}/${stepId} with an operation; nothing was sent`,
      nonRetryable: true,
    });
  }
  const call = { operation: source.operation, parameters: source.parameters, requestBody: source.requestBody };
  const self = plan.document.self !== undefined ? { self: plan.document.self } : {};
  if (part === 'compensation') {
    const undo = source as NonNullable<PlanStep['compensation']>;
    return {
      call,
      undo: { successCriteria: undo.successCriteria, alreadyDoneStatuses: undo.alreadyDoneStatuses },
      ...self,
    };
  }
  const planned = source as PlanStep;
  return {
    ...self,
    call,
    judge: { successCriteria: planned.successCriteria, outputs: planned.outputs, actions: planned.actions },
  };
}

export function makeRunStep(policy: WorkerPolicy, plans = new PlanStore()) {
  return async function runStep(input: RunStepInput): Promise<StepResult> {
    const info = activityInfo();
    if (input.underLock) {
      await confirmLockHeld(getClient(), input.underLock.lockWorkflowId, info.workflowExecution?.runId ?? '');
      input = { ...input, ref: input.underLock.ref };
    }
    const started = Date.now();
    // Under an approval policy a run must have been loaded by this worker's load activity (or descend
    // from one that was): a plan or record given in a run's input would bring its own gates and keys.
    if (policy.approvals && (await broughtOwnInternals())) {
      // RequestBuildError: the workflow ends the run at once, knowing nothing was sent.
      throw ApplicationFailure.create({
        type: 'RequestBuildError',
        message: `step ${input.stepId}: this run was started with a plan or state of its own, which would skip the worker's approval policy; nothing was sent`,
        nonRetryable: true,
      });
    }
    const work = await stepWork(input, plans);
    if (work.self !== undefined) input = { ...input, context: { ...input.context, self: work.self } };
    const secrets = new StepSecrets({
      policy: policy.secrets ?? noSecretPolicy,
      allowedServerHosts: policy.allowedServerHosts,
      stepId: input.stepId,
      deliver: input.deliver,
      deliveryTag: deliveryTag(info),
    });
    // Every request, secret or not, goes only where this worker agreed: the server of a description it
    // loaded itself (the plan's seal), or an override on a host it allows. A plan forged in a run's
    // input can name neither.
    const destinationProblem = checkDestination(input, work.call, policy);
    if (destinationProblem) {
      throw ApplicationFailure.create({
        type: 'RequestBuildError',
        message: `step ${input.stepId}: ${destinationProblem}; nothing was sent`,
        nonRetryable: true,
      });
    }
    let request: ReturnType<typeof buildOperationRequest>;
    try {
      request = await secrets.buildRequest(work.call, input.context, {
        serverUrl: input.serverUrl,
        strict: input.strict,
      });
    } catch (err) {
      if (err instanceof RequestBuildError || err instanceof SecretRefError) {
        // A secret the worker won't read or won't send there: nothing was sent (the interpreter treats
        // RequestBuildError as fatal with "nothing was sent").
        throw ApplicationFailure.create({
          type: 'RequestBuildError',
          message: secrets.text(
            `step ${input.stepId}: ${err instanceof SecretRefError ? `${err.type}: ` : ''}${err.message}`,
          ),
          nonRetryable: true,
        });
      }
      throw err;
    }
    const method = request.method.toUpperCase();
    const requestLine = secrets.text(`${method} ${request.url}`);

    const outcome = await sendWithNotSentRetries(
      () =>
        sendHttp({
          method,
          url: request.url,
          headers: request.headers,
          body: request.body,
          timeoutMs: input.timeoutMs,
          signal: cancellationSignal(),
        }),
      !isIdempotentMethod(method),
    );
    if (outcome.kind === 'not-sent') {
      throw ApplicationFailure.create({
        type: 'RequestNotSent',
        message: secrets.text(`step ${input.stepId}: ${requestLine} was never sent: ${outcome.error}`),
        nonRetryable: !isIdempotentMethod(method),
      });
    }
    if (outcome.kind === 'unknown') {
      throw ApplicationFailure.create({
        type: 'RequestOutcomeUnknown',
        message: secrets.text(
          `step ${input.stepId}: ${requestLine} failed after it may have reached the server: ${outcome.error}`,
        ),
        nonRetryable: !isIdempotentMethod(method),
      });
    }

    await pauseForTestHook(policy, input.stepId);

    const response = outcome.response;
    secrets.noteResponse(response.body);
    // Expressions see the references, not the values (an output copying `$inputs.apiToken` keeps the reference).
    const context = responseContext(input.context, request, response);
    const retryAfterSeconds = parseRetryAfter(response.headers['retry-after'], Date.now());
    const ambiguousBefore = input.afterAmbiguous || info.attempt > 1;
    const alreadyGone = method === 'DELETE' && response.statusCode === 404 && ambiguousBefore;

    const base = {
      stepId: input.stepId,
      method,
      url: secrets.text(request.url),
      statusCode: response.statusCode,
      retryAfterSeconds,
      durationMs: Date.now() - started,
      attempt: info.attempt,
    };

    const { judge: plannedJudge, undo } = work;
    if (undo) {
      const verdict = judgeCriteria(undo.successCriteria, context, isSuccessStatus(response.statusCode));
      const done = verdict.passed || undo.alreadyDoneStatuses.includes(response.statusCode);
      return {
        ...base,
        successful: done,
        failedCriterion: done
          ? undefined
          : secrets.explain(
              explain(
                reexplain(undo.successCriteria, verdict.failed, secrets.redactedContext(context)),
                response.statusCode,
              ),
            ),
        outputs: {},
        unresolvedOutputs: [],
        matched: { success: [], failure: [] },
        alreadyGone: done && undo.alreadyDoneStatuses.includes(response.statusCode),
        ...(done && input.withdraw?.length ? { withdrawn: await withdrawDelivered(input.withdraw, policy) } : {}),
      };
    }

    const judge = plannedJudge ?? { successCriteria: [], outputs: {}, actions: { success: [], failure: [] } };
    const judged = judgeStep(judge, context);
    const outputs = await secrets.finishOutputs(judged.outputs);
    if (alreadyGone) {
      return {
        ...base,
        successful: true,
        outputs,
        unresolvedOutputs: judged.unresolvedOutputs,
        matched: { success: judge.actions.success.map(() => false), failure: [] },
        alreadyGone: true,
        ...undeliveredOf(secrets),
      };
    }

    // An idempotent call meeting a transient status that the document does not handle is retried by
    // Temporal (with the server's Retry-After), instead of failing the run on a passing overload.
    const handled = judged.matched.failure.some(Boolean);
    if (!judged.successful && !handled && isIdempotentMethod(method) && isTransientStatus(response.statusCode)) {
      throw ApplicationFailure.create({
        type: 'TransientHttpStatus',
        message: `step ${input.stepId}: ${requestLine} answered ${response.statusCode}`,
        nextRetryDelay: retryAfterSeconds !== undefined ? `${Math.max(1, retryAfterSeconds)}s` : undefined,
      });
    }

    const accepted = isSuccessStatus(response.statusCode);
    let created: StepResult['created'];
    if (!judged.successful && accepted && method === 'POST') {
      const found = findCreatedResource(response.body);
      if (Object.keys(found.ids).length || Object.keys(found.secrets).length) {
        const runTag = (info.workflowExecution?.workflowId ?? 'run').replace(/[^A-Za-z0-9_.-]/g, '_');
        created = { ids: found.ids, secrets: await secrets.keepCreatedSecrets(found.secrets, runTag) };
      }
    }

    return {
      ...base,
      created,
      successful: judged.successful,
      failedCriterion: judged.successful
        ? undefined
        : secrets.explain(
            explain(
              // Explained from a copy of the response with secrets masked, so no preview shows one.
              reexplain(judge.successCriteria, judged.failedCriterion, secrets.redactedContext(context)),
              response.statusCode,
            ),
          ),
      outputs,
      unresolvedOutputs: judged.unresolvedOutputs,
      matched: judged.matched,
      ...undeliveredOf(secrets),
    };
  };
}

/**
 * Removes the undone step's delivered secrets from their sinks. Never fails the compensation (the
 * credential is already deleted): a sink that cannot remove one says so in the result.
 */
async function withdrawDelivered(
  delivered: DeliveredInfo[],
  policy: WorkerPolicy,
): Promise<NonNullable<StepResult['withdrawn']>> {
  const sinks = sinksFor(policy.secrets?.sinkDir);
  const results: NonNullable<StepResult['withdrawn']> = [];
  for (const d of delivered) {
    const sink = sinks.get(d.to);
    try {
      results.push({ name: d.name, outcome: sink ? await sink.withdraw(d.name, d.fingerprint) : 'failed' });
    } catch {
      results.push({ name: d.name, outcome: 'failed' });
    }
  }
  return results;
}

function undeliveredOf(secrets: StepSecrets): Pick<StepResult, 'undelivered'> {
  return secrets.undelivered.length ? { undelivered: [...secrets.undelivered] } : {};
}

/**
 * This execution's tag for delivery names: workflow id, the run id's last 8 characters (random in v4
 * and v7 UUIDs), the activity id (`stepId`, `stepId#n`), and the attempt after the first, so no two
 * executions derive the same name.
 */
function deliveryTag(info: ReturnType<typeof activityInfo>): string {
  const safe = (t: string) => t.replace(/[^A-Za-z0-9_-]/g, '_');
  const run = info.workflowExecution;
  const parts = [safe(run?.workflowId ?? 'run'), safe((run?.runId ?? '').slice(-8)), safe(info.activityId)];
  if (info.attempt > 1) parts.push(`a${info.attempt}`);
  return parts.filter(Boolean).join('.');
}

/** The failed criterion evaluated again on the redacted context (same criterion), when it still fails there. */
function reexplain(
  criteria: readonly Criterion[],
  failed: CriterionResult | undefined,
  redacted: ExpressionContext,
): CriterionResult | undefined {
  const criterion = failed && criteria.find((c) => c.condition === failed.condition);
  if (!criterion) return failed;
  return judgeCriteria([criterion], redacted, true).failed ?? failed;
}

function explain(
  result: CriterionResult | undefined,
  status: number,
): Pick<CriterionResult, 'condition' | 'explanation'> {
  if (!result) return { condition: 'HTTP 2xx (no successCriteria)', explanation: `found status ${status}` };
  return { condition: result.condition, explanation: result.explanation };
}

/**
 * A POST is never re-attempted by Temporal, but a failure where the request provably never left the
 * machine (connection refused, DNS) can safely be tried again within the same attempt.
 */
async function sendWithNotSentRetries(send: () => Promise<HttpOutcome>, retryNotSent: boolean): Promise<HttpOutcome> {
  const delays = retryNotSent ? [250, 500, 1000] : [];
  let outcome = await send();
  for (const delay of delays) {
    if (outcome.kind !== 'not-sent') break;
    await sleep(delay);
    outcome = await send();
  }
  return outcome;
}

/** Test hook: freeze after the response arrived and before completion is reported (crash test d). */
async function pauseForTestHook(policy: WorkerPolicy, stepId: string): Promise<void> {
  const hook = policy.pauseAfterResponse;
  if (!hook || hook.stepId !== stepId) return;
  writeFileSync(join(hook.markerDir, `${stepId}.paused`), String(process.pid));
  await new Promise(() => {});
}

function checkDestination(input: RunStepInput, call: OperationCall, policy: WorkerPolicy): string | undefined {
  if (input.serverUrl !== undefined) {
    return urlHostAllowed(input.serverUrl, policy.allowedServerHosts)
      ? undefined
      : `server override ${input.serverUrl} is not on a host this worker allows (ARAZZO_ALLOWED_SERVER_HOSTS)`;
  }
  return verifiedServerUrl(call.operation) === undefined
    ? `the operation was not planned by this worker (no valid seal): refusing to call ${call.operation.serverUrl}`
    : undefined;
}
