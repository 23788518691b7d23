// The generic interpreter: one Temporal workflow walks an Arazzo workflow, each step one activity.
// It only decides; everything that touches the world (files, HTTP) is an activity, so Temporal's
// history makes every completed step final: after a crash the run resumes where it stopped, and a
// create step that completed is never sent again.
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  executeChild,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  TimeoutFailure,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { evaluateTemplate, type ExpressionContext, parseValueTemplate } from '../arazzo/expressions/index.js';
import { DEFAULT_STEP_BUDGET, decideNext, type Move, recordRetries } from '../arazzo/flow/index.js';
import { buildOperationRequest } from '../arazzo/plan/operation-request.js';
import { referencedContext, stepExpressionText } from '../arazzo/plan/referenced-context.js';
import type { Plan, PlanStep, PlanWorkflow } from '../arazzo/plan/types.js';
import { evaluateOutputs } from '../arazzo/request/outputs.js';
import { isSecretName, maskRecord, maskValue } from '../arazzo/secrets/mask.js';
import { deliveredSecrets, describeRef, isSecretRef } from '../secrets/refs.js';
import type { ArazzoActivities, RunStepInput, StepResult } from '../activities/index.js';
import { acquireLock, type HeldLock, releaseLock } from './lock.js';
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
} from './messages.js';
import { now, RunStateTracker } from './run-state.js';
import type {
  AbortArgs,
  ApproveArgs,
  ArazzoRunInput,
  ArazzoRunResult,
  RejectArgs,
  ResumeState,
  RetryStepArgs,
  RunState,
  SupplyOutputsArgs,
} from './types.js';

const { loadPlan } = proxyActivities<ArazzoActivities>({
  startToCloseTimeout: '2 minutes',
  retry: {
    maximumAttempts: 3,
    nonRetryableErrorTypes: [
      'InvalidDocument',
      'InvalidInputs',
      'PreflightFailed',
      'DocumentNotAllowed',
      'InvalidServerOverride',
    ],
  },
});
const { runStep } = proxyActivities<ArazzoActivities>({ startToCloseTimeout: '1 minute' });

/** How a workflow (or the whole run) ended, short of an exception. */
type Ending =
  | { kind: 'completed'; outputs: Record<string, unknown> }
  | { kind: 'rejected' | 'approval-expired' | 'compensated'; message: string };

type OperatorChoice =
  | { kind: 'retry'; args: RetryStepArgs }
  | { kind: 'abort'; args: AbortArgs }
  | { kind: 'supply'; args: SupplyOutputsArgs };

type ApprovalDecision = { kind: 'approve'; args: ApproveArgs } | { kind: 'reject'; args: RejectArgs };

/** Entry point: `temporal workflow start --type arazzoRun --input '{"document": ...}'`. */
export async function arazzoRun(input: ArazzoRunInput): Promise<ArazzoRunResult> {
  return new Interpreter(input).run();
}

class Interpreter {
  private readonly tracker: RunStateTracker;
  private plan!: Plan;
  /** Steps are scheduled by reference to the recorded plan when it has a digest (runs loaded since digests). */
  private planDigest?: string;
  /** Each step's expressions as JSON text, to send it only the context it reads. */
  private readonly stepTexts = new Map<string, string>();
  private inputs: Record<string, unknown> = {};
  private stepOutputs: Record<string, Record<string, unknown>> = {};
  private workflowOutputs: Record<string, Record<string, unknown>> = {};
  private retriesUsed: Record<string, number> = {};
  private stepRuns = 0;
  private searchAttributes: string[] = [];
  private executions: Record<string, number> = {};
  private completedSteps: string[] = [];
  private lock?: HeldLock;
  private approvalDecision?: ApprovalDecision;
  private operatorChoice?: OperatorChoice;

  constructor(private readonly input: ArazzoRunInput) {
    const resume = input.resume;
    this.tracker = new RunStateTracker(input.document, input.workflowId ?? '', resume?.progress);
    if (resume) {
      this.stepOutputs = resume.stepOutputs;
      this.workflowOutputs = resume.workflowOutputs;
      this.retriesUsed = resume.retriesUsed;
      this.stepRuns = resume.stepRuns;
      this.inputs = resume.inputs;
      this.searchAttributes = resume.searchAttributes;
    }
    this.registerHandlers();
  }

  async run(): Promise<ArazzoRunResult> {
    try {
      await this.prepare();
      const ending = await this.runWorkflow(
        this.plan.workflows[this.plan.workflowId],
        this.input.resume?.stepIndex ?? 0,
      );
      await this.releaseLockQuietly();
      if (ending.kind === 'completed') {
        this.tracker.setOutputs(ending.outputs);
        this.tracker.setState('completed');
        return this.result('completed', ending.outputs);
      }
      this.tracker.setState(ending.kind);
      return this.result(ending.kind, {}, ending.message);
    } catch (err) {
      if (isCancellation(err)) {
        // Cancelling ends the run at once: no further step, destructive or not, is sent.
        await CancellationScope.nonCancellable(async () => {
          this.tracker.setPendingApproval(undefined);
          this.tracker.setState('cancelled');
          await this.releaseLockQuietly();
        });
        throw err;
      }
      if (this.plan) this.tracker.setState('failed');
      await CancellationScope.nonCancellable(() => this.releaseLockQuietly());
      throw err;
    }
  }

  private result(status: RunState, outputs: Record<string, unknown>, message?: string): ArazzoRunResult {
    return { status, outputs, steps: this.tracker.progress.steps, approvals: this.tracker.progress.approvals, message };
  }

  // ---------------------------------------------------------------- preparation

  private async prepare() {
    const resume = this.input.resume;
    if (this.input.plan) {
      // A nested workflow, or this run continued as new: the plan was loaded once, at the start.
      this.plan = this.input.plan;
      this.planDigest = this.input.planDigest;
      if (!resume) this.inputs = this.input.inputs ?? {};
      else this.tracker.enableSearchAttributes(resume.searchAttributes);
    } else {
      const loaded = await loadPlan({
        document: this.input.document,
        workflowId: this.input.workflowId,
        inputsFromRun: true,
        deliver: this.input.deliver,
        servers: this.input.servers,
        strict: this.input.strict,
        preflight: this.input.preflight,
        lockKey: this.input.lock?.key,
      });
      this.plan = loaded.plan;
      this.planDigest = loaded.planDigest;
      this.inputs = loaded.inputs;
      this.searchAttributes = loaded.searchAttributes;
      this.tracker.progress.workflowId = loaded.plan.workflowId;
      this.tracker.enableSearchAttributes(loaded.searchAttributes);
      this.tracker.setLockKey(loaded.lockKey);
    }
    this.tracker.progress.workflowId = this.plan.workflowId;
    const workflow = this.plan.workflows[this.plan.workflowId];
    for (const [name, schema] of Object.entries(inputProperties(workflow))) {
      if (isSecretSchema(name, schema)) this.tracker.secretNames.add(name);
    }
    this.tracker.initSteps(workflow.steps.map((s) => ({ stepId: s.stepId, operation: describeStep(s) })));
    // Nested workflows run under their parent's lock; a run continued as new takes it again.
    const key = this.tracker.progress.lockKey;
    if (key && (!this.input.plan || resume)) {
      this.lock = await acquireLock(key, {
        onBusy: this.input.lock?.onBusy ?? 'wait',
        pollInterval: this.input.lock?.pollInterval ?? '5s',
        holderWorkflowId: workflowInfo().workflowId,
        onWait: () => this.tracker.publish(),
      });
    }
    this.tracker.setState('running');
  }

  /** `closing`: the run ends right after this (a lock that ends with its holder needs nothing). */
  private async releaseLockQuietly(closing = true) {
    const lock = this.lock;
    this.lock = undefined;
    if (lock) await releaseLock(lock, closing).catch(() => undefined);
  }

  // ---------------------------------------------------------------- the walk

  private context(): ExpressionContext {
    const steps: ExpressionContext['steps'] = {};
    for (const [id, outputs] of Object.entries(this.stepOutputs)) steps[id] = { outputs };
    const workflows: NonNullable<ExpressionContext['workflows']> = {};
    for (const [id, outputs] of Object.entries(this.workflowOutputs)) workflows[id] = { outputs };
    return { inputs: this.inputs, steps, workflows };
  }

  private async runWorkflow(workflow: PlanWorkflow, startIndex: number): Promise<Ending> {
    for (const dependency of workflow.dependsOn) {
      if (this.workflowOutputs[dependency]) continue;
      const child = await this.runChildWorkflow(dependency, this.inputs, `dependsOn ${dependency}`);
      if (child.kind !== 'completed') return child;
      this.workflowOutputs[dependency] = child.outputs;
    }
    const budget = this.input.stepBudget ?? DEFAULT_STEP_BUDGET;
    let index = startIndex;
    while (index < workflow.steps.length) {
      await this.continueAsNewIfSuggested(index);
      const step = workflow.steps[index];
      this.stepRuns += 1;
      const executed = await this.executeStep(step);
      if ('kind' in executed) return executed;
      const result = executed;
      this.stepOutputs[step.stepId] = { ...(this.stepOutputs[step.stepId] ?? {}), ...result.outputs };
      const move: Move = decideNext({
        steps: workflow.steps,
        stepIndex: index,
        outcome: {
          successful: result.successful,
          matched: result.matched,
          retryAfterHeaderSeconds: result.retryAfterSeconds,
          failure: result.successful ? undefined : { message: failureMessage(result) },
        },
        actions: step.actions,
        retriesUsed: this.retriesUsed,
        stepRunsSoFar: this.stepRuns,
        stepBudget: budget,
      });
      this.retriesUsed = recordRetries(this.retriesUsed, step.stepId, move);
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
        case 'goto-workflow':
          return this.runChildWorkflow(move.workflowId, this.inputs, `goto ${move.workflowId}`);
        case 'complete':
          return { kind: 'completed', outputs: this.workflowResult(workflow) };
        case 'end':
          if (move.outcome === 'succeeded') return { kind: 'completed', outputs: this.workflowResult(workflow) };
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
    return { kind: 'completed', outputs: this.workflowResult(workflow) };
  }

  private workflowResult(workflow: PlanWorkflow): Record<string, unknown> {
    return evaluateOutputs(workflow.outputs, this.context());
  }

  private async runDetour(workflow: PlanWorkflow, detour: { stepId?: string; workflowId?: string }) {
    if (detour.workflowId) {
      const child = await this.runChildWorkflow(detour.workflowId, this.inputs, `detour ${detour.workflowId}`);
      if (child.kind === 'completed') this.workflowOutputs[detour.workflowId] = child.outputs;
      return;
    }
    const step = workflow.steps.find((s) => s.stepId === detour.stepId);
    if (!step) return;
    this.stepRuns += 1;
    const executed = await this.executeStep(step);
    if (!('kind' in executed))
      this.stepOutputs[step.stepId] = { ...(this.stepOutputs[step.stepId] ?? {}), ...executed.outputs };
  }

  /**
   * A step failed and no action handles it. If the server accepted a create anyway (the step itself
   * made something) or an earlier step created something it can undo, the run does not just fail and
   * leave it behind: it names what exists and waits for an operator to abort (with or without
   * compensation). Otherwise it fails with the step, request and criterion.
   */
  private async failAfterStep(step: PlanStep, reason: string, result?: StepResult): Promise<Ending> {
    const undoable = this.completedSteps.filter((id) => this.findStep(id)?.compensation);
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
    const known: string[] = [];
    const options: string[] = [];
    if (created && createdIds.length) {
      known.push(
        `the server accepted ${step.stepId} (HTTP ${result?.statusCode}) and created ${createdIds.map(([pointer, id]) => `${id} (response ${pointer})`).join(', ')}`,
      );
      for (const [pointer, secret] of Object.entries(created.secrets)) {
        known.push(
          isSecretRef(secret)
            ? `its one-time secret at ${pointer}: ${describeRef(secret)}`
            : `its one-time secret at ${pointer} is kept in this run's encrypted history (${maskValue(secret)})`,
        );
      }
      if (step.compensation) {
        this.completedSteps.push(step.stepId);
        options.push(`abort with {"compensate": true} to delete it (x-compensation of ${step.stepId})`);
      } else {
        options.push(
          `no x-compensation is declared for ${step.stepId}: delete ${createdIds.map(([, id]) => id).join(', ')} at the provider, then abort with {"compensate": false}`,
        );
      }
    }
    if (undoable.length) {
      known.push(
        `completed steps that can be undone: ${undoable.join(', ')} (outputs: ${JSON.stringify(maskRecord(this.outputsOf(undoable), this.tracker.secretNames))})`,
      );
      options.push('abort with {"compensate": true} to undo them, or {"compensate": false} to leave them');
    }
    if (!created) options.push('retryStep to send the step again');
    const choice = await this.awaitOperator(step, reason, known.join('; '), options);
    if (choice.kind === 'abort') return this.abort(choice.args);
    if (choice.kind === 'supply') {
      this.stepOutputs[step.stepId] = { ...(this.stepOutputs[step.stepId] ?? {}), ...choice.args.outputs };
      this.tracker.finishStep(step.stepId, 'succeeded', undefined, `outputs supplied by ${choice.args.by}`);
      throw ApplicationFailure.create({
        type: 'StepFailed',
        message: `${reason}; outputs were supplied but the failed step cannot resume the flow`,
        nonRetryable: true,
      });
    }
    // retry: run the same step again through the normal path.
    const workflow = this.plan.workflows[this.plan.workflowId];
    const index = workflow.steps.findIndex((s) => s.stepId === step.stepId);
    return this.runWorkflow(workflow, index);
  }

  private outputsOf(stepIds: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const id of stepIds) for (const [k, v] of Object.entries(this.stepOutputs[id] ?? {})) out[`${id}.${k}`] = v;
    return out;
  }

  private failureDetails(step: PlanStep) {
    return {
      stepId: step.stepId,
      steps: this.tracker.progress.steps,
      outputs: maskRecord(this.outputsOf(this.completedSteps), this.tracker.secretNames),
    };
  }

  /** The values `step` (or its compensation) reads; everything else stays out of its scheduled input. */
  private stepContext(part: 'step' | 'compensation', step: PlanStep): ExpressionContext {
    const key = `${part} ${step.stepId}`;
    let text = this.stepTexts.get(key);
    if (text === undefined) {
      text = stepExpressionText(step, part);
      this.stepTexts.set(key, text);
    }
    return referencedContext(text, this.context());
  }

  /** A step of this run's own workflow (the only steps it executes; step ids are unique per workflow). */
  private findStep(stepId: string): PlanStep | undefined {
    return this.plan.workflows[this.plan.workflowId].steps.find((s) => s.stepId === stepId);
  }

  // ---------------------------------------------------------------- one step

  private needsApproval(step: PlanStep): boolean {
    const options = this.input.approval;
    if (options?.mode === 'none') return false;
    return step.approval === 'required' || (options?.steps ?? []).includes(step.stepId);
  }

  private async executeStep(step: PlanStep): Promise<StepResult | Ending> {
    if (this.needsApproval(step)) {
      const ending = await this.awaitApproval(step);
      if (ending) return ending;
    }
    if (step.workflowId) return this.executeWorkflowStep(step);

    let afterAmbiguous = false;
    for (;;) {
      const count = (this.executions[step.stepId] ?? 0) + 1;
      this.executions[step.stepId] = count;
      this.tracker.startStep(step.stepId);
      const source = step.operation!.sourceName;
      const runInput: RunStepInput = {
        stepId: step.stepId,
        ...(this.planDigest
          ? {
              ref: {
                digest: this.planDigest,
                workflowId: this.plan.workflowId,
                stepId: step.stepId,
                part: 'step',
              },
            }
          : {
              call: { operation: step.operation!, parameters: step.parameters, requestBody: step.requestBody },
              judge: { successCriteria: step.successCriteria, outputs: step.outputs, actions: step.actions },
            }),
        context: this.stepContext('step', step),
        strict: this.plan.strict,
        serverUrl: this.input.servers?.[source],
        timeoutMs: durationMs(this.input.stepTimeout ?? '30s'),
        afterAmbiguous,
        deliver: this.input.deliver,
      };
      try {
        const result = await runStep.executeWithOptions(
          {
            activityId: count === 1 ? step.stepId : `${step.stepId}#${count}`,
            summary: `${step.stepId}: ${describeStep(step)}`,
            startToCloseTimeout: durationMs(this.input.stepTimeout ?? '30s') + 5_000,
            retry: retryPolicyFor(step.operation!.method),
          },
          [runInput],
        );
        this.recordStepResult(step, result);
        return result;
      } catch (err) {
        if (isCancellation(err)) throw err;
        const problem = describeActivityFailure(step, err);
        if (problem.fatal) {
          this.tracker.finishStep(step.stepId, 'failed', undefined, problem.message);
          throw ApplicationFailure.create({
            type: problem.type,
            message: problem.message,
            nonRetryable: true,
            details: [this.failureDetails(step)],
          });
        }
        const choice = await this.awaitOperator(step, problem.message, problem.known, [
          'retryStep to send the request again (a DELETE that finds nothing counts as done)',
          'supplyOutputs with the outputs the step produced (secrets as {"$secret": ...} references)',
          'abort (with "compensate": true to undo completed steps)',
        ]);
        if (choice.kind === 'abort') return this.abort(choice.args);
        if (choice.kind === 'supply') {
          const result = suppliedResult(step, choice.args);
          this.recordStepResult(step, result);
          return result;
        }
        afterAmbiguous = problem.ambiguous;
      }
    }
  }

  private recordStepResult(step: PlanStep, result: StepResult) {
    const message = result.alreadyGone
      ? 'already gone (an earlier attempt had done it)'
      : result.successful
        ? undefined
        : `${result.failedCriterion?.condition}: ${result.failedCriterion?.explanation ?? ''}`;
    this.tracker.finishStep(step.stepId, result.successful ? 'succeeded' : 'failed', result.statusCode, message);
    if (result.successful && !this.completedSteps.includes(step.stepId)) this.completedSteps.push(step.stepId);
    for (const name of Object.keys(result.outputs)) if (isSecretName(name)) this.tracker.secretNames.add(name);
  }

  private async executeWorkflowStep(step: PlanStep): Promise<StepResult | Ending> {
    this.tracker.startStep(step.stepId);
    const context = this.context();
    const childInputs: Record<string, unknown> = {};
    for (const p of step.parameters) {
      const parsed = parseValueTemplate(p.value, { strict: this.plan.strict });
      if (parsed.ok) {
        const value = evaluateTemplate(parsed.value, context);
        if (value !== undefined) childInputs[p.name] = value;
      }
    }
    const ending = await this.runChildWorkflow(step.workflowId!, childInputs, `step ${step.stepId}`);
    if (ending.kind !== 'completed') return ending;
    this.workflowOutputs[step.workflowId!] = ending.outputs;
    const outputs = evaluateOutputs(step.outputs, { ...this.context(), outputs: ending.outputs });
    const result: StepResult = {
      stepId: step.stepId,
      method: 'WORKFLOW',
      url: step.workflowId!,
      statusCode: 0,
      successful: true,
      outputs,
      unresolvedOutputs: [],
      matched: { success: step.actions.success.map((a) => a.criteria.length === 0), failure: [] },
      durationMs: 0,
      attempt: 1,
    };
    this.recordStepResult(step, result);
    return result;
  }

  private async runChildWorkflow(workflowId: string, inputs: Record<string, unknown>, why: string): Promise<Ending> {
    const child = await executeChild(arazzoRun, {
      workflowId: `${workflowInfo().workflowId}/${workflowId}/${uuid4().slice(0, 8)}`,
      // The child's plan differs from the recorded one (its workflowId), so its steps go inline.
      args: [
        {
          ...this.input,
          workflowId,
          inputs,
          plan: { ...this.plan, workflowId },
          planDigest: undefined,
          resume: undefined,
        },
      ],
      staticSummary: `Arazzo workflow ${workflowId} (${why})`,
    });
    if (child.status === 'completed') return { kind: 'completed', outputs: child.outputs };
    if (child.status === 'rejected' || child.status === 'approval-expired' || child.status === 'compensated') {
      return { kind: child.status, message: `nested workflow ${workflowId}: ${child.message ?? child.status}` };
    }
    throw ApplicationFailure.create({
      type: 'NestedWorkflowFailed',
      message: `nested workflow ${workflowId} ended ${child.status}`,
      nonRetryable: true,
    });
  }

  // ---------------------------------------------------------------- approval

  private async awaitApproval(step: PlanStep): Promise<Ending | undefined> {
    const timeout = this.input.approval?.timeout ?? '7d';
    const requestedAt = now();
    this.approvalDecision = undefined;
    this.tracker.setPendingApproval({
      approvalId: uuid4(),
      stepId: step.stepId,
      ...this.preview(step),
      delivered: deliveredSecrets(this.stepOutputs),
      requestedAt,
      expiresAt: new Date(Date.parse(requestedAt) + durationMs(timeout)).toISOString(),
    });
    // Runs recorded before this patch did not point ArazzoStep at the step awaiting approval.
    this.tracker.awaitApproval(step.stepId, patched('arazzo-step-awaiting-approval'));
    this.tracker.setState('awaiting-approval');
    const decided = await condition(() => this.approvalDecision !== undefined, timeout, {
      summary: `awaiting approval of ${step.stepId}`,
    });
    const pending = this.tracker.progress.pendingApproval!;
    this.tracker.setPendingApproval(undefined);
    if (!decided) {
      this.tracker.recordApproval({
        stepId: step.stepId,
        approvalId: pending.approvalId,
        decision: 'expired',
        at: now(),
        via: 'signal',
      });
      this.tracker.finishStep(step.stepId, 'skipped', undefined, `approval expired after ${timeout}`);
      return {
        kind: 'approval-expired',
        message: `approval of ${step.stepId} was not given within ${timeout}; nothing destructive was sent`,
      };
    }
    const decision = this.approvalDecision!;
    if (decision.kind === 'reject') {
      this.tracker.finishStep(
        step.stepId,
        'skipped',
        undefined,
        `rejected by ${decision.args.by}: ${decision.args.reason}`,
      );
      if (decision.args.compensate) {
        await this.compensate();
        return {
          kind: 'compensated',
          message: `rejected by ${decision.args.by} (${decision.args.reason}); completed steps undone`,
        };
      }
      return { kind: 'rejected', message: `rejected by ${decision.args.by}: ${decision.args.reason}` };
    }
    this.tracker.setState('running');
    return undefined;
  }

  /** The exact target of a destructive step, for the approver: method, URL, path parameter values. */
  private preview(step: PlanStep): { method: string; url: string; target: Record<string, string> } {
    if (!step.operation) return { method: 'WORKFLOW', url: step.workflowId ?? '', target: {} };
    try {
      const built = buildOperationRequest(
        { operation: step.operation, parameters: step.parameters, requestBody: step.requestBody },
        this.context(),
        { serverUrl: this.input.servers?.[step.operation.sourceName], strict: this.plan.strict },
      );
      return {
        method: built.method,
        url: built.url,
        target: maskRecord(built.resolved.path, this.tracker.secretNames) as Record<string, string>,
      };
    } catch {
      return { method: step.operation.method, url: step.operation.pathTemplate, target: {} };
    }
  }

  // ---------------------------------------------------------------- operator

  private async awaitOperator(
    step: PlanStep,
    reason: string,
    known: string,
    options: string[],
  ): Promise<OperatorChoice> {
    this.operatorChoice = undefined;
    this.tracker.finishStep(step.stepId, 'needs-attention', undefined, reason);
    this.tracker.setAttention({ stepId: step.stepId, reason, known, options });
    this.tracker.setState('needs-attention');
    await condition(() => this.operatorChoice !== undefined);
    this.tracker.setAttention(undefined);
    this.tracker.setState('running');
    return this.operatorChoice!;
  }

  private async abort(args: AbortArgs): Promise<Ending> {
    if (args.compensate) {
      await this.compensate();
      return { kind: 'compensated', message: `aborted by ${args.by} (${args.reason}); completed steps undone` };
    }
    throw ApplicationFailure.create({
      type: 'Aborted',
      message: `aborted by ${args.by}: ${args.reason}`,
      nonRetryable: true,
      details: [
        {
          steps: this.tracker.progress.steps,
          outputs: maskRecord(this.outputsOf(this.completedSteps), this.tracker.secretNames),
        },
      ],
    });
  }

  /** Undo completed steps that declare `x-compensation`, newest first; 404 counts as already undone. */
  private async compensate() {
    for (const stepId of [...this.completedSteps].reverse()) {
      const step = this.findStep(stepId);
      const undo = step?.compensation;
      if (!step || !undo) continue;
      const result = await runStep.executeWithOptions(
        {
          activityId: `${stepId}:compensate`,
          summary: `${stepId}: undo with ${undo.operation.method} ${undo.operation.pathTemplate}`,
          startToCloseTimeout: durationMs(this.input.stepTimeout ?? '30s') + 5_000,
          retry: retryPolicyFor(undo.operation.method),
        },
        [
          {
            stepId: `${stepId}:compensate`,
            ...(this.planDigest
              ? { ref: { digest: this.planDigest, workflowId: this.plan.workflowId, stepId, part: 'compensation' } }
              : {
                  call: { operation: undo.operation, parameters: undo.parameters, requestBody: undo.requestBody },
                  undo: { successCriteria: undo.successCriteria, alreadyDoneStatuses: undo.alreadyDoneStatuses },
                }),
            context: this.stepContext('compensation', step),
            strict: this.plan.strict,
            serverUrl: this.input.servers?.[undo.operation.sourceName],
            timeoutMs: durationMs(this.input.stepTimeout ?? '30s'),
          },
        ],
      );
      if (!result.successful) {
        throw ApplicationFailure.create({
          type: 'CompensationFailed',
          message: `undoing ${stepId} failed: ${result.method} ${result.url} answered ${result.statusCode}`,
          nonRetryable: true,
        });
      }
      this.tracker.finishStep(
        stepId,
        'compensated',
        result.statusCode,
        result.alreadyGone ? 'already undone' : 'undone',
      );
    }
  }

  // ---------------------------------------------------------------- messages

  private registerHandlers() {
    setHandler(progressQuery, () => this.tracker.progress, {
      description: 'Where the run is: state, steps, pending approval, outputs (secrets masked).',
    });

    const approveProblem = (args: ApproveArgs): string | undefined => {
      const pending = this.tracker.progress.pendingApproval;
      if (!args || typeof args.stepId !== 'string') return 'give {"stepId": ..., "by": ...}';
      if (!pending) return `no approval is pending (state: ${this.tracker.progress.state})`;
      if (this.approvalDecision) return `step ${pending.stepId} was already ${this.approvalDecision.kind}d`;
      if (args.stepId !== pending.stepId)
        return `step ${args.stepId} is not awaiting approval (pending: ${pending.stepId})`;
      if (args.approvalId !== undefined && args.approvalId !== pending.approvalId) {
        return `approvalId ${args.approvalId} is stale (current: ${pending.approvalId})`;
      }
      if (!args.by) return '"by" (who approves) is required';
      return undefined;
    };
    const rejectProblem = (args: RejectArgs): string | undefined =>
      approveProblem(args as ApproveArgs) ?? (args.reason ? undefined : '"reason" is required');
    const attentionProblem = (args: { stepId?: string; by?: string }, needsStep: boolean): string | undefined => {
      const attention = this.tracker.progress.attention;
      if (!attention) return `the run does not need attention (state: ${this.tracker.progress.state})`;
      if (this.operatorChoice) return 'a decision was already given';
      if (needsStep && args?.stepId !== attention.stepId)
        return `step ${args?.stepId} does not need attention (it is ${attention.stepId})`;
      if (!args?.by) return '"by" is required';
      return undefined;
    };
    const abortProblem = (args: AbortArgs): string | undefined => {
      if (this.tracker.progress.pendingApproval && !this.approvalDecision)
        return args?.by && args.reason ? undefined : '"by" and "reason" are required';
      return attentionProblem(args, false) ?? (args.reason ? undefined : '"reason" is required');
    };

    const approve = (args: ApproveArgs, via: 'signal' | 'update') => {
      const pending = this.tracker.progress.pendingApproval!;
      this.approvalDecision = { kind: 'approve', args };
      this.tracker.recordApproval({
        stepId: args.stepId,
        approvalId: pending.approvalId,
        decision: 'approved',
        by: args.by,
        comment: args.comment,
        at: now(),
        via,
      });
      return `approved ${args.stepId}; executing ${pending.method} ${pending.url}`;
    };
    const reject = (args: RejectArgs, via: 'signal' | 'update') => {
      const pending = this.tracker.progress.pendingApproval!;
      this.approvalDecision = { kind: 'reject', args };
      this.tracker.recordApproval({
        stepId: args.stepId,
        approvalId: pending.approvalId,
        decision: 'rejected',
        by: args.by,
        comment: args.reason,
        at: now(),
        via,
      });
      return `rejected ${args.stepId}${args.compensate ? '; undoing completed steps' : ''}`;
    };
    const abort = (args: AbortArgs) => {
      if (this.tracker.progress.pendingApproval && !this.approvalDecision) {
        const pending = this.tracker.progress.pendingApproval;
        return reject(
          {
            stepId: pending.stepId,
            approvalId: pending.approvalId,
            by: args.by,
            reason: args.reason,
            compensate: args.compensate,
          },
          'update',
        );
      }
      this.operatorChoice = { kind: 'abort', args };
      return `aborting${args.compensate ? ' and undoing completed steps' : ''}`;
    };

    const ignore = (name: string, problem: string, by?: string) =>
      this.tracker.recordIgnored({ name, reason: problem, at: now(), by });
    const viaSignal =
      <A extends { by?: string }>(name: string, problemOf: (a: A) => string | undefined, act: (a: A) => unknown) =>
      (args: A) => {
        const problem = problemOf(args);
        if (problem) ignore(name, problem, args?.by);
        else act(args);
      };
    const validator =
      <A>(problemOf: (a: A) => string | undefined) =>
      (args: A) => {
        const problem = problemOf(args);
        if (problem) throw new Error(problem);
      };

    setHandler(
      approveSignal,
      viaSignal('approve', approveProblem, (a) => approve(a, 'signal')),
      { description: 'Approve the pending destructive step: {"stepId", "approvalId"?, "by", "comment"?}' },
    );
    setHandler(approveUpdate, (a) => approve(a, 'update'), {
      validator: validator(approveProblem),
      description: 'Approve the pending destructive step (refused with the reason when it does not fit).',
    });
    setHandler(
      rejectSignal,
      viaSignal('reject', rejectProblem, (a) => reject(a, 'signal')),
      { description: 'Reject the pending step: {"stepId", "approvalId"?, "by", "reason", "compensate"?}' },
    );
    setHandler(rejectUpdate, (a) => reject(a, 'update'), {
      validator: validator(rejectProblem),
      description: 'Reject the pending step (refused with the reason when it does not fit).',
    });

    const retryProblem = (a: RetryStepArgs) => attentionProblem(a, true);
    const retry = (args: RetryStepArgs) => {
      this.operatorChoice = { kind: 'retry', args };
      return `retrying ${args.stepId}`;
    };
    setHandler(retryStepSignal, viaSignal('retryStep', retryProblem, retry), {
      description: 'Send the step that needs attention again: {"stepId", "by"}',
    });
    setHandler(retryStepUpdate, retry, {
      validator: validator(retryProblem),
      description: 'Send the step that needs attention again.',
    });

    setHandler(abortSignal, viaSignal('abort', abortProblem, abort), {
      description: 'End the run: {"by", "reason", "compensate"?}',
    });
    setHandler(abortUpdate, abort, {
      validator: validator(abortProblem),
      description: 'End the run, optionally undoing completed steps.',
    });

    const supplyProblem = (a: SupplyOutputsArgs) =>
      attentionProblem(a, true) ??
      (a.outputs && typeof a.outputs === 'object' ? plainSecretProblem(a.outputs) : '"outputs" is required');
    const supply = (args: SupplyOutputsArgs) => {
      this.operatorChoice = { kind: 'supply', args };
      return `continuing after ${args.stepId} with supplied outputs`;
    };
    setHandler(supplyOutputsSignal, viaSignal('supplyOutputs', supplyProblem, supply), {
      description: 'Continue with outputs the operator supplies: {"stepId", "by", "outputs"}',
    });
    setHandler(supplyOutputsUpdate, supply, {
      validator: validator(supplyProblem),
      description: 'Continue with outputs the operator supplies.',
    });
  }

  // ---------------------------------------------------------------- history size

  /** Long goto loops would grow history without bound; carry the state into a fresh run instead. */
  private async continueAsNewIfSuggested(stepIndex: number) {
    const info = workflowInfo();
    const limit = this.input.continueAsNewAfterEvents ?? 10_000;
    if (this.input.plan && !this.input.resume) return; // nested workflows are short; their parent continues
    if (!info.continueAsNewSuggested && info.historyLength < limit) return;
    const resume: ResumeState = {
      stepIndex,
      stepOutputs: this.stepOutputs,
      workflowOutputs: this.workflowOutputs,
      retriesUsed: this.retriesUsed,
      stepRuns: this.stepRuns,
      progress: this.tracker.progress,
      inputs: this.inputs,
      searchAttributes: this.searchAttributes,
    };
    // Released explicitly (not left to this run's close), so the next run takes it again at once.
    await this.releaseLockQuietly(false);
    await continueAsNew<typeof arazzoRun>({ ...this.input, plan: this.plan, planDigest: this.planDigest, resume });
  }
}

// ---------------------------------------------------------------- helpers (pure)

function describeStep(step: PlanStep): string {
  return step.operation ? `${step.operation.method} ${step.operation.pathTemplate}` : `workflow ${step.workflowId}`;
}

function failureMessage(result: StepResult): string {
  const criterion = result.failedCriterion;
  const explanation = criterion?.explanation ?? '';
  // Explanations already start with their condition ("$statusCode == 201: found 200, expected 201").
  const why = !criterion
    ? 'failed'
    : explanation.startsWith(criterion.condition)
      ? explanation
      : `\`${criterion.condition}\` is false${explanation ? `: ${explanation}` : ''}`;
  const accepted = result.statusCode >= 200 && result.statusCode < 300;
  // A destructive request the server accepted has happened, whatever the document expected: say so.
  const consequence =
    accepted && result.method === 'DELETE'
      ? `. The server accepted the DELETE (HTTP ${result.statusCode}): the target is already deleted, although the document expected otherwise`
      : '';
  return `${result.method} ${result.url} answered ${result.statusCode}; ${why}${consequence}`;
}

/** Idempotent requests are retried by Temporal with backoff; a POST/PATCH never is (it could create twice). */
function retryPolicyFor(method: string) {
  const idempotent = ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE'].includes(method.toUpperCase());
  return idempotent
    ? {
        maximumAttempts: 5,
        initialInterval: '1s',
        backoffCoefficient: 2,
        maximumInterval: '30s',
        nonRetryableErrorTypes: ['RequestBuildError'],
      }
    : { maximumAttempts: 1 };
}

interface ActivityProblem {
  /** The request provably had no effect, or the step can't be built: no operator can fix it by retrying. */
  fatal: boolean;
  type: string;
  message: string;
  known: string;
  /** The server may have acted on the request. */
  ambiguous: boolean;
}

function describeActivityFailure(step: PlanStep, err: unknown): ActivityProblem {
  const request = describeStep(step);
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) {
    if (cause.type === 'RequestBuildError') {
      return {
        fatal: true,
        type: 'RequestBuildError',
        message: cause.message,
        known: 'nothing was sent',
        ambiguous: false,
      };
    }
    if (cause.type === 'RequestNotSent') {
      return {
        fatal: false,
        type: 'RequestNotSent',
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

function suppliedResult(step: PlanStep, args: SupplyOutputsArgs): StepResult {
  return {
    stepId: step.stepId,
    method: step.operation?.method ?? 'WORKFLOW',
    url: step.operation?.pathTemplate ?? '',
    statusCode: 0,
    successful: true,
    outputs: args.outputs,
    unresolvedOutputs: [],
    matched: { success: step.actions.success.map((a) => a.criteria.length === 0), failure: [] },
    durationMs: 0,
    attempt: 0,
  };
}

/** Operators may supply secrets only as references, so they never enter history in plain text. */
function plainSecretProblem(outputs: Record<string, unknown>): string | undefined {
  for (const [name, value] of Object.entries(outputs)) {
    if (isSecretName(name) && typeof value === 'string')
      return `output "${name}" is a secret: give it as {"$secret": "env:NAME"} or {"$secret": "file:NAME"}`;
  }
  return undefined;
}

function inputProperties(workflow: PlanWorkflow): Record<string, Record<string, unknown>> {
  const schema = workflow.inputs as { properties?: Record<string, Record<string, unknown>> } | undefined;
  return schema && typeof schema === 'object' && schema.properties ? schema.properties : {};
}

function isSecretSchema(name: string, schema: Record<string, unknown>): boolean {
  return (
    schema?.format === 'password' || schema?.writeOnly === true || schema?.['x-secret'] === true || isSecretName(name)
  );
}

/** Temporal-style durations ('30s', '2m', '7d', '1.5s', or milliseconds as a number). */
export function durationMs(value: string | number): number {
  if (typeof value === 'number') return value;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(value);
  if (!match)
    throw ApplicationFailure.create({
      type: 'InvalidInputs',
      message: `not a duration: "${value}"`,
      nonRetryable: true,
    });
  const n = Number(match[1]);
  const unit = match[2] ?? 'ms';
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit]!;
  return Math.round(n * factor);
}
