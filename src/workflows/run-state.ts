// Everything a run knows, in one place, so the progress query, the current details, the search
// attributes and the result are all views of the same state and cannot disagree.
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { maskRecord } from '../arazzo/secrets/mask.js';
import { ArazzoState, ArazzoStep, ArazzoWorkflowId } from '../shared/search-attributes.js';
import { renderDetails } from './details.js';
import type {
  ApprovalRecord,
  IgnoredMessage,
  PendingApproval,
  PendingAttention,
  RunProgress,
  RunState,
  StepProgress,
} from './types.js';

export class RunStateTracker {
  readonly progress: RunProgress;
  /** Search attributes the namespace has; others are never upserted (that would fail the task). */
  private searchAttributes = new Set<string>();
  /** Names of inputs and outputs known to hold secrets (beyond the name heuristics). */
  readonly secretNames = new Set<string>();

  constructor(document: string, workflowId: string, restored?: RunProgress) {
    this.progress = restored ?? {
      state: 'running',
      document,
      workflowId,
      steps: [],
      approvals: [],
      ignored: [],
      outputs: {},
    };
  }

  enableSearchAttributes(names: readonly string[]) {
    this.searchAttributes = new Set(names);
    this.upsert([{ key: ArazzoWorkflowId, value: this.progress.workflowId }]);
    this.publish();
  }

  setState(state: RunState) {
    this.progress.state = state;
    this.upsert([{ key: ArazzoState, value: state }]);
    this.publish();
  }

  initSteps(steps: Array<{ stepId: string; operation: string }>) {
    if (this.progress.steps.length) return;
    this.progress.steps = steps.map((s) => ({ ...s, status: 'pending', attempts: 0 }));
  }

  step(stepId: string): StepProgress {
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
    this.upsert([{ key: ArazzoStep, value: stepId }]);
    this.publish();
  }

  /** The step now waiting for a person; `searchable` also points ArazzoStep at it (see the patch in awaitApproval). */
  awaitApproval(stepId: string, searchable: boolean) {
    this.step(stepId).status = 'awaiting-approval';
    this.progress.currentStep = stepId;
    if (searchable) this.upsert([{ key: ArazzoStep, value: stepId }]);
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

  setLockKey(key: string | undefined) {
    this.progress.lockKey = key;
    this.publish();
  }

  recordApproval(record: ApprovalRecord) {
    this.progress.approvals.push(record);
    this.publish();
  }

  recordIgnored(message: IgnoredMessage) {
    this.progress.ignored.push(message);
    this.publish();
  }

  /** The Web UI's "Current details" (served by the SDK's metadata query, so it costs no history). */
  publish() {
    setCurrentDetails(renderDetails(this.progress, workflowInfo().workflowId));
  }

  private upsert(pairs: SearchAttributeUpdatePair[]) {
    const allowed = pairs.filter((p) => this.searchAttributes.has(p.key.name));
    if (allowed.length) upsertSearchAttributes(allowed);
  }
}

/** Workflow time (deterministic: the SDK replays it), as ISO text. */
export function now(): string {
  return new Date().toISOString();
}
