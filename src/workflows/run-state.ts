// Everything a run knows, as ONE serialisable record, owned by one class. The progress query reads
// `record.progress`; continue-as-new carries `record` whole; the Web UI's current details and the
// search attributes are published from it on every change. Nothing can be carried by one of them and
// forgotten by another, because there is nothing else to carry.
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { ApprovalSettings } from '../arazzo/approvals/settings.js';
import type { ChannelPosition } from '../channels/binding.js';
import type { ExpressionContext } from '../arazzo/expressions/index.js';
import { isSecretName, isSecretSchema, maskRecord } from '../arazzo/secrets/mask.js';
import { ArazzoState, ArazzoStep, ArazzoWaitingOn, ArazzoWorkflowId } from './contract.js';
import { renderDetails } from './details.js';
import { isPatched } from './patches.js';
import type {
  AbortArgs,
  ApprovalRecord,
  ApproveArgs,
  IgnoredMessage,
  MessageWaitProgress,
  PendingApproval,
  PendingAttention,
  RejectArgs,
  RetryStepArgs,
  RunProgress,
  RunState as RunStateName,
  StepProgress,
  SupplyOutputsArgs,
} from './types.js';

/** A person's answer to what the run waits for: an approval, or a choice when it needs attention. */
export type Decision =
  | { kind: 'approve'; args: ApproveArgs }
  | { kind: 'reject'; args: RejectArgs; verifiedBy?: string }
  | { kind: 'retry'; args: RetryStepArgs }
  | { kind: 'abort'; args: AbortArgs }
  | { kind: 'supply'; args: SupplyOutputsArgs };

export type ApprovalDecision = Extract<Decision, { kind: 'approve' | 'reject' }>;
export type OperatorChoice = Extract<Decision, { kind: 'retry' | 'abort' | 'supply' }>;

/** The run's whole state. Plain JSON: it is continue-as-new's argument and replayed from history. */
export interface RunRecord {
  /** 2: the one-record shape (histories before it carry a `LegacyResumeState`, see legacy.ts). */
  version: 2;
  /** The step of the run's own workflow the walk is at (where a continued run resumes). */
  stepIndex: number;
  /** The inputs with defaults applied; secrets only as `{"$secret": ...}` references. */
  inputs: Record<string, unknown>;
  stepOutputs: Record<string, Record<string, unknown>>;
  workflowOutputs: Record<string, Record<string, unknown>>;
  /** Retries used per `retryKey(stepId, action)` (flow/retry-state.ts). */
  retriesUsed: Record<string, number>;
  /** Step executions in the whole run, against the step budget. */
  stepRuns: number;
  /** Activity executions per step (the activity id of a repeat is `stepId#n`). */
  executions: Record<string, number>;
  /** Steps that completed (or whose create was accepted), oldest first: what compensation undoes. */
  completedSteps: string[];
  /** Input and output names known to hold secrets, beyond the name heuristics. */
  secretNames: string[];
  /** The Arazzo search attributes this namespace has (upserting an unknown one fails the task). */
  searchAttributes: string[];
  /** What the progress query returns: state, steps, pending approval or attention, decisions, outputs. */
  progress: RunProgress;
  /** The answer to the pending approval or attention, until the walk takes it. */
  decision?: Decision;
  /** The worker's approval policy for this run and its webhooks (absent in runs recorded before them). */
  approvalSettings?: ApprovalSettings;
  /**
   * Where reply channels stood just before a `send` (message-step.ts), by `<protocol>://<host>/<address>`:
   * the start of the `receive` that follows, so a reply faster than the step that awaits it is not missed.
   */
  replyWindows?: Record<string, ChannelPosition>;
}

export function newRunRecord(document: string, workflowId: string): RunRecord {
  return {
    version: 2,
    stepIndex: 0,
    inputs: {},
    stepOutputs: {},
    workflowOutputs: {},
    retriesUsed: {},
    stepRuns: 0,
    executions: {},
    completedSteps: [],
    secretNames: [],
    searchAttributes: [],
    progress: { state: 'running', document, workflowId, steps: [], approvals: [], ignored: [], outputs: {} },
  };
}

/** How much of a refusal the details keep (its findings; a document can have thousands). */
const REFUSAL_CHARS = 16_000;

export class RunState {
  /**
   * Search attributes change only with the run's state (see patches.ts `upsertsOnStateChange`): one upsert
   * per state change, with the step it concerns. Undefined until search attributes are enabled.
   */
  private upsertsOnStateChange?: boolean;
  /** What this run last upserted, so an unchanged value is not sent again. */
  private readonly upserted: Record<string, string> = {};

  constructor(readonly record: RunRecord) {}

  get progress(): RunProgress {
    return this.record.progress;
  }

  get secretNames(): ReadonlySet<string> {
    return new Set(this.record.secretNames);
  }

  /** What expressions see: `$inputs`, `$steps.<id>.outputs`, `$workflows.<id>.outputs`. */
  context(): ExpressionContext {
    const steps: ExpressionContext['steps'] = {};
    for (const [id, outputs] of Object.entries(this.record.stepOutputs)) steps[id] = { outputs };
    const workflows: NonNullable<ExpressionContext['workflows']> = {};
    for (const [id, outputs] of Object.entries(this.record.workflowOutputs)) workflows[id] = { outputs };
    return { inputs: this.record.inputs, steps, workflows };
  }

  /** Inputs the workflow's schema marks secret (format password, writeOnly, x-secret, a credential name). */
  addSecretInputs(inputsSchema: unknown) {
    const properties = (inputsSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
    if (!properties || typeof properties !== 'object') return;
    for (const [name, schema] of Object.entries(properties)) if (isSecretSchema(name, schema)) this.addSecretName(name);
  }

  addSecretName(name: string) {
    if (!this.record.secretNames.includes(name)) this.record.secretNames.push(name);
  }

  /** A step's outputs (merged over an earlier execution's); secret-named ones are remembered as secret. */
  recordStepOutputs(stepId: string, outputs: Record<string, unknown>) {
    this.record.stepOutputs[stepId] = { ...(this.record.stepOutputs[stepId] ?? {}), ...outputs };
    for (const name of Object.keys(outputs)) if (isSecretName(name)) this.addSecretName(name);
  }

  recordWorkflowOutputs(workflowId: string, outputs: Record<string, unknown>) {
    this.record.workflowOutputs[workflowId] = outputs;
  }

  /** Compensation undoes completed steps newest first, so the order of completion is kept. */
  markCompleted(stepId: string) {
    if (!this.record.completedSteps.includes(stepId)) this.record.completedSteps.push(stepId);
  }

  /** Counts one more activity execution of the step; returns its number (1 for the first). */
  countExecution(stepId: string): number {
    const count = (this.record.executions[stepId] ?? 0) + 1;
    this.record.executions[stepId] = count;
    return count;
  }

  /** The outputs of `stepIds` as `stepId.output` entries, secrets masked: for failure details. */
  maskedOutputsOf(stepIds: readonly string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const id of stepIds) {
      for (const [k, v] of Object.entries(this.record.stepOutputs[id] ?? {})) out[`${id}.${k}`] = v;
    }
    return maskRecord(out, this.secretNames);
  }

  // ------------------------------------------------------------- progress (published on change)

  enableSearchAttributes(names: readonly string[]) {
    this.record.searchAttributes = [...names];
    // Decided here, at the run's first upsert, so that a run recorded without the marker keeps the old path.
    this.upsertsOnStateChange = names.length > 0 && isPatched('upsertsOnStateChange');
    if (this.upsertsOnStateChange) this.upsertStateChange();
    else this.upsert([{ key: ArazzoWorkflowId, value: this.progress.workflowId }]);
    this.publish();
  }

  /**
   * The worker refused the run before it had a plan (no request was sent): the reason goes to the
   * Web UI's current details. No search attribute is enabled yet, so this adds no command to history.
   */
  refuse(reason: string) {
    this.progress.refusal = reason.length > REFUSAL_CHARS ? `${reason.slice(0, REFUSAL_CHARS)}\n…` : reason;
    this.setState('failed');
  }

  setState(state: RunStateName) {
    this.progress.state = state;
    if (this.upsertsOnStateChange) this.upsertStateChange();
    else this.upsert([{ key: ArazzoState, value: state }]);
    this.publish();
  }

  /**
   * The new path: the workflow id, the state and the step that state concerns (the one awaiting approval or
   * needing attention, else the step the run is at), in one command, only what changed since the last one.
   * Query filters only need the state to be current and the step to match it; the live step is in the
   * progress query and the Web UI details, which cost no history.
   */
  private upsertStateChange() {
    const { progress } = this;
    const step = progress.attention?.stepId ?? progress.pendingApproval?.stepId ?? progress.currentStep;
    const values: Array<[SearchAttributeUpdatePair['key'], string | undefined]> = [
      [ArazzoWorkflowId, progress.workflowId],
      [ArazzoState, progress.state],
      [ArazzoStep, step],
    ];
    const changed: SearchAttributeUpdatePair[] = [];
    for (const [key, value] of values) {
      if (value === undefined || this.upserted[key.name] === value) continue;
      this.upserted[key.name] = value;
      changed.push({ key, value } as SearchAttributeUpdatePair);
    }
    this.upsert(changed);
  }

  initSteps(steps: Array<{ stepId: string; operation: string }>) {
    if (this.progress.steps.length) return;
    this.progress.steps = steps.map((s) => ({ ...s, status: 'pending', attempts: 0 }));
  }

  private step(stepId: string): StepProgress {
    let found = this.progress.steps.find((s) => s.stepId === stepId);
    if (!found) {
      found = { stepId, status: 'pending', operation: '', attempts: 0 };
      this.progress.steps.push(found);
    }
    return found;
  }

  startStep(stepId: string) {
    const step = this.step(stepId);
    step.status = 'running';
    step.attempts += 1;
    step.startedAt = now();
    step.finishedAt = undefined;
    step.message = undefined;
    this.progress.currentStep = stepId;
    if (!this.upsertsOnStateChange) this.upsert([{ key: ArazzoStep, value: stepId }]);
    this.publish();
  }

  /**
   * The step now waits for a person; `searchable` also points ArazzoStep at it (see patches.ts). On the
   * `upsertsOnStateChange` path the state change that follows upserts the step with the state.
   */
  awaitApproval(stepId: string, searchable: boolean) {
    this.step(stepId).status = 'awaiting-approval';
    this.progress.currentStep = stepId;
    if (searchable && !this.upsertsOnStateChange) this.upsert([{ key: ArazzoStep, value: stepId }]);
  }

  finishStep(stepId: string, status: StepProgress['status'], httpStatus?: number, message?: string) {
    const step = this.step(stepId);
    step.status = status;
    step.httpStatus = httpStatus;
    step.finishedAt = now();
    step.message = message;
    this.publish();
  }

  setOutputs(outputs: Record<string, unknown>) {
    this.progress.outputs = maskRecord(outputs, this.secretNames);
    this.publish();
  }

  setPendingApproval(pending: PendingApproval | undefined) {
    this.progress.pendingApproval = pending;
    this.publish();
  }

  setAttention(attention: PendingAttention | undefined) {
    this.progress.attention = attention;
    this.publish();
  }

  /**
   * A `receive` step waits (or stopped waiting): the progress says where, and `ArazzoWaitingOn` lets a
   * channel listener that starts later find this run (src/channels/listener.ts).
   */
  setWaitingForMessage(wait: MessageWaitProgress | undefined, waitId?: string) {
    this.progress.waitingForMessage = wait;
    // The channel (what people filter by) and the channel with the wait's id (how the listener tells a new
    // wait of the run from one it feeds already).
    const value = wait ? [wait.channel, ...(waitId ? [`${wait.channel}#${waitId}`] : [])] : [];
    this.upsert([{ key: ArazzoWaitingOn, value }]);
    this.publish();
  }

  setLockKey(key: string | undefined) {
    this.progress.lockKey = key;
    this.publish();
  }

  recordApproval(record: ApprovalRecord) {
    const { by, comment } = record;
    this.progress.approvals.push({
      ...record,
      ...(by === undefined ? {} : { by: clip(String(by)) }),
      ...(comment === undefined ? {} : { comment: clip(String(comment)) }),
    });
    this.publish();
  }

  /**
   * A message that did not fit. Anyone who can signal the run can send these, so what is kept is
   * bounded: the newest IGNORED_KEPT, each field cut to FIELD_CHARS, and a count of the dropped.
   */
  recordIgnored(message: IgnoredMessage) {
    const ignored = this.progress.ignored;
    ignored.push({
      name: clip(message.name),
      reason: clip(message.reason),
      at: message.at,
      ...(message.by === undefined ? {} : { by: clip(String(message.by)) }),
    });
    const over = ignored.length - IGNORED_KEPT;
    if (over > 0) {
      ignored.splice(0, over);
      this.progress.ignoredDropped = (this.progress.ignoredDropped ?? 0) + over;
    }
    this.publish();
  }

  /**
   * The Web UI's "Current details" (served by the SDK's metadata query, so it costs no history), rendered
   * at once on every change. Rendering is a few lines of text; deferring it to one microtask per activation
   * cost more, because the SDK records a stack trace for every promise a workflow creates (the bench's
   * profile: about 6% of the workflow thread, against under 1% for rendering every time).
   */
  publish() {
    setCurrentDetails(renderDetails(this.progress, workflowInfo().workflowId));
  }

  private upsert(pairs: SearchAttributeUpdatePair[]) {
    const allowed = pairs.filter((p) => this.record.searchAttributes.includes(p.key.name));
    if (allowed.length) upsertSearchAttributes(allowed);
  }
}

/** How many ignored messages the progress keeps (the newest), and how long a text a person sent may be. */
export const IGNORED_KEPT = 20;
export const FIELD_CHARS = 500;

function clip(text: string): string {
  if (typeof text !== 'string') return clip(String(text));
  return text.length <= FIELD_CHARS
    ? text
    : `${text.slice(0, FIELD_CHARS)}… (${text.length - FIELD_CHARS} more characters)`;
}

/** Workflow time (deterministic: the SDK replays it), as ISO text. */
export function now(): string {
  return new Date().toISOString();
}
