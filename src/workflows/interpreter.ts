// The generic interpreter: one Temporal workflow walks an Arazzo workflow, each step one activity.
// It only decides; everything that touches the world (files, HTTP) is an activity, so Temporal's
// history makes every completed step final: after a crash the run resumes where it stopped, and a
// create step that completed is never sent again.
//
// The walk, as the spec's step semantics (Arazzo 1.0.1, Step Object and Success/Failure Actions):
// run the workflow's `dependsOn` first; then its steps in order. A step calls an operation (one
// activity) or a workflow (a child run). Its outcome and actions pick the next move (flow/decide.ts):
// next step, goto a step or a workflow, retry (after an optional detour), end, or fail. Beyond the
// spec: a destructive step waits for approval first, and a step whose fate is unknown, or a failure
// after something was created, waits for an operator instead of failing blindly.
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  continueAsNew,
  isCancellation,
  proxyActivities,
  proxyLocalActivities,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { RetryState } from '@temporalio/common';
import { decideNext, recordRetries } from '../arazzo/flow/index.js';
import type { Parameter } from '../arazzo/model.js';
import type { Plan, PlanStep, PlanWorkflow } from '../arazzo/plan/types.js';
import { evaluateOutputs } from '../arazzo/request/outputs.js';
import type { ArazzoActivities, StepResult } from '../activities/index.js';
import { whatExists, UNKNOWN_OUTCOME_OPTIONS } from './attention.js';
import { ApprovalGate, inheritedApprovalSettings, stepNeedsApproval, takeApprovalSettings } from './approval-gate.js';
import { childInputs, parameterInputs, runChildWorkflow } from './child-runs.js';
import { Compensation } from './compensation.js';
import { nonRetryableTypes } from './contract.js';
import { Decisions } from './decisions.js';
import type { Ending } from './ending.js';
import { restoreRunRecord } from './legacy.js';
import { lockWorkflowId, RunLock } from './lock.js';
import { guardBeforeDestructive } from './lock-guard.js';
import { MessageSteps } from './message-step.js';
import { type RunOptions, runOptions } from './run-options.js';
import { isPatched } from './patches.js';
import { newRunRecord, RunState } from './run-state.js';
import {
  classifyStepFailure,
  describeOutcome,
  resultOfStepTimeout,
  describeStep,
  failureMessage,
  resultWithoutRequest,
  StepActivities,
} from './step-activity.js';
import type { ArazzoRunInput, ArazzoRunResult, RunState as RunStateName } from './types.js';

const loadRetry = { maximumAttempts: 3, nonRetryableErrorTypes: nonRetryableTypes('loadPlan') };

/** Runs recorded before the patch `planLoadedLocally`: the load is an activity task of its own. */
const { loadPlan } = proxyActivities<ArazzoActivities>({
  startToCloseTimeout: '2 minutes',
  // It heartbeats between phases and every second while it waits: a worker that dies mid-load is noticed in
  // seconds. Parsing one large file blocks its event loop (about 2.5 s a MB under load; 5 MiB is the limit).
  heartbeatTimeout: '30s',
  retry: loadRetry,
});

/**
 * New runs load the plan as a local activity: it runs inside the run's first workflow task, so the
 * lock (or the first step) is started in that same task instead of one more task and activity dispatch
 * later. Its result is still recorded once, in a marker event (run-history.ts reads it back), so the run
 * stays pinned to its plan, readable in the Web UI and `temporal workflow show`. A worker that dies while
 * loading is noticed by the workflow task timeout (10 s), and the load runs again on another worker; a
 * load longer than that keeps the task alive by the SDK's task heartbeats.
 */
const { loadPlan: loadPlanInTask } = proxyLocalActivities<ArazzoActivities>({
  startToCloseTimeout: '2 minutes',
  retry: loadRetry,
});

/** Entry point: `temporal workflow start --type arazzoRun --input '{"document": ...}'`. */
export async function arazzoRun(input: ArazzoRunInput): Promise<ArazzoRunResult> {
  const record = input.resume ? restoreRunRecord(input.resume) : newRunRecord(input.document, input.workflowId ?? '');
  const state = new RunState(record);
  const decisions = new Decisions(state);
  decisions.register();
  const messages = new MessageSteps(state);
  messages.register();
  return new Walk(input, state, decisions, messages).run();
}

/** The failures of a first step scheduled with its lock that prove nothing was sent (see `executeWithLock`). */
const NOTHING_SENT_UNDER_LOCK = new Set(['LockNotHeld', 'RequestBuildError', 'PlanNotFound']);

/** A fresh run's first step, scheduled while its lock is being taken. */
interface LockWithFirstStep {
  stepId: string;
  taking: Promise<void>;
  lockWorkflowId: string;
}

class Walk {
  private readonly options: RunOptions;
  private plan!: Plan;
  private steps!: StepActivities;
  private compensation!: Compensation;
  private gate!: ApprovalGate;
  private readonly lock = new RunLock();
  /** The lock being taken while the run's first step is already scheduled (see `stepScheduledWithLock`). */
  private lockWithFirstStep?: LockWithFirstStep;
  /** Steps executed by this run (not its predecessors): continue-as-new waits for at least one. */
  private stepsThisRun = 0;

  constructor(
    private readonly input: ArazzoRunInput,
    private readonly state: RunState,
    private readonly decisions: Decisions,
    private readonly messages: MessageSteps,
  ) {
    this.options = runOptions(input);
  }

  async run(): Promise<ArazzoRunResult> {
    try {
      await this.prepare();
      const ending = await this.runWorkflow(this.plan.workflows[this.plan.workflowId], this.state.record.stepIndex);
      await this.lock.release();
      await this.gate.settleNotices();
      if (ending.kind === 'completed') {
        this.state.setOutputs(ending.outputs);
        this.state.setState('completed');
        return this.result('completed', ending.outputs);
      }
      this.state.setState(ending.kind);
      return this.result(ending.kind, {}, ending.message);
    } catch (err) {
      if (isCancellation(err)) {
        // Cancelling ends the run at once: no further step, destructive or not, is sent.
        await CancellationScope.nonCancellable(async () => {
          this.state.setPendingApproval(undefined);
          this.state.setState('cancelled');
          await this.lock.release();
        });
        throw err;
      }
      if (this.plan) this.state.setState('failed');
      else this.state.refuse(refusalOf(err));
      await CancellationScope.nonCancellable(() => this.lock.release());
      throw err;
    }
  }

  private result(status: RunStateName, outputs: Record<string, unknown>, message?: string): ArazzoRunResult {
    const { steps, approvals } = this.state.progress;
    return { status, outputs, steps, approvals, message };
  }

  // ---------------------------------------------------------------- preparation

  /** The plan (loaded once, at the start of the entry run), the lock, the step list. */
  private async prepare() {
    const { input, state } = this;
    let planDigest: string | undefined;
    if (input.plan) {
      // A nested workflow, or this run continued as new: the plan was loaded once, at the start.
      this.plan = input.plan;
      planDigest = input.planDigest;
      if (!input.resume) state.record.inputs = input.inputs ?? {};
      else state.enableSearchAttributes(state.record.searchAttributes);
      if (!input.resume) takeApprovalSettings(state, inheritedApprovalSettings(input.approvalSettings));
    } else {
      const { document, workflowId, deliver, servers, strict, preflight } = input;
      const load = {
        document,
        workflowId,
        deliver,
        servers,
        strict,
        preflight,
        lockKey: input.lock?.key,
        // Only when given: the activity input of runs that do not use it stays as it was.
        ...(input.preflightIgnore ? { preflightIgnore: input.preflightIgnore } : {}),
      };
      const loaded = isPatched('planLoadedLocally')
        ? await loadPlanInTask({ ...load, inputsFromRun: true }).catch((err: unknown) => {
            throw asActivityFailure(err, 'loadPlan');
          })
        : await loadPlan({ ...load, inputsFromRun: true });
      this.plan = loaded.plan;
      planDigest = loaded.planDigest;
      state.record.inputs = loaded.inputs;
      state.progress.workflowId = loaded.plan.workflowId;
      state.enableSearchAttributes(loaded.searchAttributes);
      state.setLockKey(loaded.lockKey);
      takeApprovalSettings(state, loaded.approvalSettings);
    }
    state.progress.workflowId = this.plan.workflowId;
    const workflow = this.ownWorkflow();
    state.addSecretInputs(workflow.inputs);
    state.initSteps(workflow.steps.map((s) => ({ stepId: s.stepId, operation: describeStep(s) })));
    const settings = { plan: this.plan, planDigest, servers: input.servers, deliver: input.deliver };
    this.steps = new StepActivities({ ...settings, options: this.options }, state);
    this.messages.configure({ plan: this.plan, servers: input.servers });
    this.compensation = new Compensation(state, this.steps, (id) => this.findStep(id));
    this.decisions.setContext({ step: (id) => this.findStep(id), deliver: input.deliver });
    const gate = { servers: input.servers, strict: this.plan.strict, deliver: input.deliver, options: this.options };
    this.gate = new ApprovalGate(state, this.decisions, this.compensation, gate, (id) => this.findStep(id));
    // Nested workflows run under their parent's lock; a run continued as new takes it again.
    const key = state.progress.lockKey;
    if (key && (!input.plan || input.resume)) {
      const taking = this.lock.take(key, input.lock, workflowInfo().workflowId, () => state.publish());
      const first = input.plan ? undefined : this.stepScheduledWithLock();
      if (first && isPatched('lockTakenWithFirstStep')) {
        this.lockWithFirstStep = { stepId: first.stepId, taking, lockWorkflowId: lockWorkflowId(key) };
      } else {
        await taking;
      }
    }
    state.setState('running');
  }

  /**
   * The step a fresh run schedules in the same workflow task as its lock's start, saving the task that
   * waited for the start to be recorded: its first step, when that is a plain operation (no approval, no
   * 1.1 `dependsOn` or `timeout`, no workflow `dependsOn` before it). Its activity confirms the lock is
   * held by this run before it sends anything (activities/lock-held.ts), so the step's request is made
   * under the lock exactly as before; see `executeWithLock`.
   */
  private stepScheduledWithLock(): PlanStep | undefined {
    const workflow = this.ownWorkflow();
    const first = workflow.steps[this.state.record.stepIndex];
    if (!this.steps.planDigest || workflow.dependsOn.length > 0) return undefined;
    if (!first?.operation || first.workflowId || first.message) return undefined;
    if ((first.dependsOn ?? []).length > 0 || first.timeoutMs !== undefined || this.needsApproval(first))
      return undefined;
    return first;
  }

  private ownWorkflow(): PlanWorkflow {
    return this.plan.workflows[this.plan.workflowId];
  }

  // ---------------------------------------------------------------- the walk

  private async runWorkflow(workflow: PlanWorkflow, startIndex: number): Promise<Ending> {
    const { record } = this.state;
    for (const dependency of workflow.dependsOn) {
      if (record.workflowOutputs[dependency]) continue;
      const child = await this.runChild(dependency, record.inputs, `dependsOn ${dependency}`);
      if (child.kind !== 'completed') return child;
      this.state.recordWorkflowOutputs(dependency, child.outputs);
    }
    let index = startIndex;
    while (index < workflow.steps.length) {
      if (this.continueAsNewDue()) await this.continueRunAsNew(index);
      const step = workflow.steps[index];
      const executed = await this.executeStep(step);
      if ('kind' in executed) return executed;
      const result = executed;
      const move = decideNext({
        steps: workflow.steps,
        stepIndex: index,
        outcome: {
          successful: result.successful,
          matched: result.matched,
          retryAfterHeaderSeconds: result.retryAfterSeconds,
          failure: result.successful ? undefined : { message: failureMessage(result) },
        },
        actions: step.actions,
        retriesUsed: record.retriesUsed,
        stepRunsSoFar: record.stepRuns,
        stepBudget: this.options.stepBudget,
      });
      record.retriesUsed = recordRetries(record.retriesUsed, step.stepId, move);
      switch (move.kind) {
        case 'next':
        case 'goto-step':
          index = move.stepIndex;
          break;
        case 'retry':
          if (move.detour) await this.runDetour(workflow, move.detour);
          await sleep(`${Math.max(0, move.delaySeconds)}s`, { summary: `retry ${step.stepId} (${move.attempt})` });
          index = move.stepIndex;
          break;
        case 'goto-workflow': {
          // 1.1: the action's parameters are the target's inputs; without them, this workflow's (1.0).
          const parameters = move.action.parameters as Parameter[] | undefined;
          const inputs = parameters
            ? parameterInputs(parameters, this.state.context(), this.plan.strict)
            : record.inputs;
          return this.runChild(move.workflowId, inputs, `goto ${move.workflowId}`);
        }
        case 'complete':
          return { kind: 'completed', outputs: evaluateOutputs(workflow.outputs, this.state.context()) };
        case 'end':
          if (move.outcome === 'succeeded') {
            return { kind: 'completed', outputs: evaluateOutputs(workflow.outputs, this.state.context()) };
          }
          return this.failAfterStep(
            step,
            `step ${step.stepId} ended the workflow through failure action "${move.action.name}": ${failureMessage(result)}`,
            result,
          );
        case 'fail':
          return this.failAfterStep(step, move.reason, result);
        case 'budget-exceeded':
          throw ApplicationFailure.create({ type: 'StepBudgetExceeded', message: move.reason, nonRetryable: true });
      }
    }
    return { kind: 'completed', outputs: evaluateOutputs(workflow.outputs, this.state.context()) };
  }

  /** A retry's detour ("the reference is executed and the context is returned"), then the retry. */
  private async runDetour(workflow: PlanWorkflow, detour: { stepId?: string; workflowId?: string }) {
    if (detour.workflowId) {
      const child = await this.runChild(detour.workflowId, this.state.record.inputs, `detour ${detour.workflowId}`);
      if (child.kind === 'completed') this.state.recordWorkflowOutputs(detour.workflowId, child.outputs);
      return;
    }
    const step = workflow.steps.find((s) => s.stepId === detour.stepId);
    if (step) await this.executeStep(step);
  }

  /**
   * One step: approval first if it is destructive, then its operation (one activity) or its workflow
   * (a child run). Its outputs are recorded with its result; the caller decides the next move from it.
   *
   * Not `async`, and neither is the path of a plain step below it. SDK 1.24 captures a stack trace for
   * every promise a workflow creates, and with its promise hooks on, every `await` creates one: a plain
   * step paid for seven (two async calls, three awaits, the activity's own two); now it pays for four.
   * A check that fails here throws at once, which the caller's `await` treats like a rejection.
   */
  private executeStep(step: PlanStep): Promise<StepResult | Ending> {
    this.state.record.stepRuns += 1;
    this.stepsThisRun += 1;
    // 1.1 step dependsOn: the steps it names must have completed (a goto may have skipped one).
    const unmet = (step.dependsOn ?? []).filter((id) => !this.state.record.completedSteps.includes(id));
    if (unmet.length > 0) {
      const message = `step ${step.stepId} depends on ${unmet.join(', ')}, which did not complete in this run; nothing was sent`;
      this.state.finishStep(step.stepId, 'failed', undefined, message);
      throw ApplicationFailure.create({ type: 'StepDependencyNotMet', message, nonRetryable: true });
    }
    return this.needsApproval(step) ? this.executeAfterApproval(step) : this.executeAction(step);
  }

  private async executeAfterApproval(step: PlanStep): Promise<StepResult | Ending> {
    const ending =
      (await this.gate.pass(step)) ??
      (await guardBeforeDestructive(step, this.lock, this.decisions, this.compensation));
    return ending ?? this.executeAction(step);
  }

  private executeAction(step: PlanStep): Promise<StepResult | Ending> {
    if (step.workflowId) return this.executeWorkflowStep(step);
    if (step.message) return this.executeMessageStep(step);
    return this.executeOperation(step, false);
  }

  private findStep(stepId: string): PlanStep | undefined {
    return this.ownWorkflow().steps.find((s) => s.stepId === stepId);
  }

  private needsApproval(step: PlanStep): boolean {
    return stepNeedsApproval(this.state, this.plan.workflowId, step, this.input.approval);
  }

  /** The step's request, until it has an outcome: a request whose fate is unknown waits for an operator. */
  private executeOperation(step: PlanStep, afterAmbiguous: boolean): Promise<StepResult | Ending> {
    const withLock = this.lockWithFirstStep;
    if (withLock) {
      this.lockWithFirstStep = undefined;
      if (withLock.stepId === step.stepId) return this.executeWithLock(step, withLock);
      // Not the step scheduled with the lock (the walk always starts with it): it waits for the lock.
      return withLock.taking.then(() => this.executeOperation(step, afterAmbiguous));
    }
    return this.steps.runStep(step, afterAmbiguous).then(
      (result) => {
        this.recordStepResult(step, result);
        return result;
      },
      (err: unknown) => this.afterOperationFailure(step, err),
    );
  }

  /**
   * The first step, scheduled with the lock's start. The step shows as started, and its result counts,
   * only once the lock's start is recorded; a run that does not get the lock (onBusy "fail") fails with
   * LockBusy as before. An attempt that sent nothing (LockNotHeld: the lock was another run's; or
   * refused before sending, as a worker that does not know `underLock` refuses it) is not the step's
   * outcome: once the lock is this run's, the step is sent the usual way, and that attempt's outcome is.
   */
  private executeWithLock(step: PlanStep, withLock: LockWithFirstStep): Promise<StepResult | Ending> {
    let sentNothing = false;
    const held = withLock.taking.then(() => {
      if (!sentNothing) this.state.startStep(step.stepId);
    });
    // Its failure (LockBusy, a cancellation) is the run's, through the step's outcome below.
    held.catch(() => undefined);
    return this.steps.runStep(step, false, withLock.lockWorkflowId).then(
      (result) =>
        held.then(() => {
          this.recordStepResult(step, result);
          return result;
        }),
      (err: unknown) => {
        const cause = err instanceof ActivityFailure ? err.cause : undefined;
        sentNothing = cause instanceof ApplicationFailure && NOTHING_SENT_UNDER_LOCK.has(cause.type ?? '');
        return held.then(() =>
          sentNothing ? this.executeOperation(step, false) : this.afterOperationFailure(step, err),
        );
      },
    );
  }

  /** A step's activity failed: a timeout is a failed step, a fatal error fails the run, else an operator decides. */
  private async afterOperationFailure(step: PlanStep, err: unknown): Promise<StepResult | Ending> {
    if (isCancellation(err)) throw err;
    // A 1.1 step timeout is a failed step: its onFailure actions decide what follows.
    const timedOut = resultOfStepTimeout(step, err);
    if (timedOut) {
      this.recordStepResult(step, timedOut);
      return timedOut;
    }
    const failure = classifyStepFailure(step, err);
    if (failure.fatal) {
      this.state.finishStep(step.stepId, 'failed', undefined, failure.message);
      throw ApplicationFailure.create({
        type: failure.type,
        message: failure.message,
        nonRetryable: true,
        details: [this.failureDetails(step)],
      });
    }
    const decided = await this.awaitOperatorAfterUnknownOutcome(step, failure.message, failure.known);
    // No decision: the operator chose to send it again.
    return decided ?? this.executeOperation(step, failure.ambiguous);
  }

  /**
   * A 1.1 channel step: send its message, or wait for one (message-step.ts). A message that cannot be
   * built fails the run before anything is sent; a broker Temporal's retries could not reach waits for
   * an operator, like an HTTP request whose fate is unknown (a send may have reached the broker).
   */
  private async executeMessageStep(step: PlanStep): Promise<StepResult | Ending> {
    const action = step.message!.action;
    for (;;) {
      try {
        const result = action === 'send' ? await this.messages.send(step) : await this.messages.receive(step);
        this.recordStepResult(step, result);
        return result;
      } catch (err) {
        if (isCancellation(err)) throw err;
        if (err instanceof ApplicationFailure && err.type === 'RequestBuildError') {
          this.state.finishStep(step.stepId, 'failed', undefined, err.message);
          throw err;
        }
        const cause = err instanceof ActivityFailure ? err.cause : err;
        const why = cause instanceof Error ? cause.message : String(cause);
        if (cause instanceof ApplicationFailure && cause.nonRetryable) {
          this.state.finishStep(step.stepId, 'failed', undefined, why);
          throw ApplicationFailure.create({ type: cause.type ?? 'StepError', message: why, nonRetryable: true });
        }
        const known =
          action === 'send'
            ? 'the message may have reached the broker (consumers can drop a repeat by its arazzo-message-id header)'
            : 'no message was taken: the wait had not begun';
        const decided = await this.awaitOperatorAfterUnknownOutcome(
          step,
          `${describeStep(step)} failed: ${why}`,
          known,
        );
        if (decided) return decided;
      }
    }
  }

  /**
   * A step whose outcome is unknown waits for an operator: abort (with or without compensation), supply its
   * outputs (returned as its result), or retry it (undefined: the caller sends it again).
   */
  private async awaitOperatorAfterUnknownOutcome(
    step: PlanStep,
    reason: string,
    known: string,
  ): Promise<StepResult | Ending | undefined> {
    const choice = await this.decisions.awaitOperator({
      stepId: step.stepId,
      reason,
      known,
      options: UNKNOWN_OUTCOME_OPTIONS,
      choices: ['retryStep', 'supplyOutputs', 'abort'],
    });
    if (choice.kind === 'abort') return this.compensation.abort(choice.args);
    if (choice.kind === 'supply') {
      const result = resultWithoutRequest(step, choice.args.outputs, 0);
      this.recordStepResult(step, result, `outputs supplied by ${choice.args.by}`);
      return result;
    }
    return undefined;
  }

  /** Every step result goes through here. Status 0: no HTTP request was made (a nested workflow, or outputs an operator supplied). */
  private recordStepResult(step: PlanStep, result: StepResult, note?: string) {
    for (const u of result.undelivered ?? []) this.state.addSecretName(u.output);
    const http = result.statusCode === 0 ? undefined : result.statusCode;
    const status = result.successful ? 'succeeded' : 'failed';
    this.state.finishStep(step.stepId, status, http, describeOutcome(result, note));
    if (result.successful) this.state.markCompleted(step.stepId);
    this.state.recordStepOutputs(step.stepId, result.outputs);
  }

  /** A step that runs a workflow: a child run with the step's parameters as its inputs. */
  private async executeWorkflowStep(step: PlanStep): Promise<StepResult | Ending> {
    this.state.startStep(step.stepId);
    const inputs = childInputs(step, this.state.context(), this.plan.strict);
    const ending = await this.runChild(step.workflowId!, inputs, `step ${step.stepId}`);
    if (ending.kind !== 'completed') return ending;
    this.state.recordWorkflowOutputs(step.workflowId!, ending.outputs);
    const outputs = evaluateOutputs(step.outputs, { ...this.state.context(), outputs: ending.outputs });
    const result = resultWithoutRequest(step, outputs, 1, step.workflowId!);
    this.recordStepResult(step, result);
    return result;
  }

  private runChild(workflowId: string, inputs: Record<string, unknown>, why: string): Promise<Ending> {
    const { approvalSettings } = this.state.record;
    return runChildWorkflow(
      { input: { ...this.input, approvalSettings }, plan: this.plan, planDigest: this.steps.planDigest },
      workflowId,
      inputs,
      why,
    );
  }

  // ---------------------------------------------------------------- failure after a step

  /**
   * A step failed and no action handles it. If the server accepted a create anyway (the step itself
   * made something) or an earlier step created something it can undo, the run does not just fail and
   * leave it behind: it names what exists and waits for an operator to abort (with or without
   * compensation). Otherwise it fails with the step, request and criterion.
   */
  private async failAfterStep(step: PlanStep, reason: string, result?: StepResult): Promise<Ending> {
    const undoable = this.compensation.undoable();
    const created = result?.created;
    const createdIds = created ? Object.entries(created.ids) : [];
    if (createdIds.length === 0 && undoable.length === 0) {
      throw ApplicationFailure.create({
        type: 'StepFailed',
        message: reason,
        nonRetryable: true,
        details: [this.failureDetails(step)],
      });
    }
    const { known, options } = whatExists(step, result, undoable, this.state.maskedOutputsOf(undoable));
    // A create the server accepted is undone like a completed step.
    if (createdIds.length && step.compensation) this.state.markCompleted(step.stepId);
    // Sending a create again that the server accepted would make a second one: only abort then.
    const choice = await this.decisions.awaitOperator({
      stepId: step.stepId,
      reason,
      known: known.join('; '),
      options,
      choices: created ? ['abort'] : ['retryStep', 'abort'],
    });
    if (choice.kind === 'abort') return this.compensation.abort(choice.args);
    // retry: run the same step again through the normal path.
    const workflow = this.ownWorkflow();
    return this.runWorkflow(
      workflow,
      workflow.steps.findIndex((s) => s.stepId === step.stepId),
    );
  }

  private failureDetails(step: PlanStep) {
    const { steps } = this.state.progress;
    return { stepId: step.stepId, steps, outputs: this.state.maskedOutputsOf(this.state.record.completedSteps) };
  }

  // ---------------------------------------------------------------- history size

  /**
   * Long goto loops would grow history without bound: the run's one record is carried into a fresh run.
   * Checked before every step; synchronous, so the common "not due" creates no promise.
   */
  private continueAsNewDue(): boolean {
    if (this.input.plan && !this.input.resume) return false; // nested workflows are short; their parent continues
    // A run that has not executed a step yet continues nothing: it would only loop (a threshold lower
    // than the events the run needs to start).
    if (this.stepsThisRun === 0) return false;
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength >= this.options.continueAsNewAfterEvents;
  }

  private async continueRunAsNew(stepIndex: number) {
    this.state.record.stepIndex = stepIndex;
    // Released explicitly (not left to this run's close), so the next run takes it again at once.
    await this.lock.release(false);
    await this.gate.settleNotices();
    await continueAsNew<typeof arazzoRun>({
      ...this.input,
      plan: this.plan,
      planDigest: this.steps.planDigest,
      resume: this.state.record,
    });
  }
}

/**
 * A local activity's failure in the shape an activity task's has (an ActivityFailure whose cause is the
 * error): the SDK hands a local activity's ApplicationFailure over bare, and clients, the CLI and scripts
 * read a refused run's reason as the cause of its ActivityFailure, as runs before the local load had it.
 */
function asActivityFailure(err: unknown, activityType: string): unknown {
  if (err instanceof ActivityFailure || isCancellation(err) || !(err instanceof Error)) return err;
  const nonRetryable = err instanceof ApplicationFailure && err.nonRetryable;
  const retryState = nonRetryable ? RetryState.NON_RETRYABLE_FAILURE : RetryState.MAXIMUM_ATTEMPTS_REACHED;
  return new ActivityFailure('Activity task failed', activityType, undefined, retryState, undefined, err);
}

/** `InvalidDocument: <message>` of the failure loadPlan refused with (its cause), else the error's message. */
function refusalOf(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) return `${cause.type ?? 'Error'}: ${cause.message}`;
  return cause instanceof Error ? cause.message : String(cause);
}
