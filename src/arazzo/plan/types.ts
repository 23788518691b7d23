// The compact plan a run executes: the chosen workflow, the workflows it can reach, and only the
// operations their steps call. It is the load activity's result, so it is recorded once in history
// and pins the run to the document as it was at start. Plain JSON, no functions, no classes.
import type { StepActions } from '../flow/index.js';
import type { ManagedSpec } from '../managed/managed-spec.js';
import type { Criterion, Parameter, RequestBody } from '../model.js';
import type { OperationParameter } from '../request/serialize-parameter.js';

export interface PlanOperation {
  sourceName: string;
  operationId?: string;
  /** Upper-case HTTP method. */
  method: string;
  /** OpenAPI path template, e.g. `/databases/{databaseId}/connections`. */
  pathTemplate: string;
  /** The description's own server URL (a run may override it per source name). */
  serverUrl: string;
  /** Only what request building needs: name, in, required, style, explode. */
  parameters: OperationParameter[];
}

/** `x-compensation`: an operation that undoes a step, using that step's outputs. */
export interface PlanCompensation {
  operation: PlanOperation;
  parameters: Parameter[];
  requestBody?: RequestBody;
  /** When the undo counts as done; without criteria, any 2xx. */
  successCriteria: Criterion[];
  /** Statuses that also count as done ("already gone"); 404 by default. */
  alreadyDoneStatuses: number[];
}

export type ApprovalRequirement = 'required' | 'none';

/**
 * Arazzo 1.1: where a channel step's message goes or comes from, resolved from its AsyncAPI 3.0
 * source description when the plan is built (the run never reads the AsyncAPI file again).
 */
export interface PlanChannel {
  sourceName: string;
  /** The AsyncAPI operation the step names (`operationId`), when it names one. */
  operationId?: string;
  /** The channel's key under `channels` (what `channelPath` points at). */
  channelKey: string;
  /**
   * The channel's `address` (for Kafka, the topic). `{name}` parameters are filled from the step's
   * `in: path` parameters when the step runs; without an address, the channel key.
   */
  address: string;
  /** The AsyncAPI server the binding connects to (a run's `servers` may override `host` per source name). */
  server: { name: string; protocol: string; host: string };
  /** The message the step sends or expects (the operation's, else the channel's, first message). */
  message?: {
    name: string;
    contentType?: string;
    /** The message's correlationId `location`, e.g. `$message.header#/orderRequestId`. */
    correlationIdLocation?: string;
  };
}

/** Arazzo 1.1: a step that sends a message to a channel or waits for one. */
export interface PlanMessageStep {
  action: 'send' | 'receive';
  channel: PlanChannel;
  /** `receive`: the step's `correlationId` as written (an expression, template or literal). */
  correlationId?: unknown;
}

export interface PlanStep {
  stepId: string;
  /** JSON Pointer of the step in the entry document. */
  pointer: string;
  description?: string;
  /** Exactly one of `operation`, `workflowId` and `message`. */
  operation?: PlanOperation;
  workflowId?: string;
  /** Arazzo 1.1 channel step (`channelPath` or an AsyncAPI `operationId`, with `action`). */
  message?: PlanMessageStep;
  /** Workflow-level parameters merged with the step's, component references resolved. */
  parameters: Parameter[];
  requestBody?: RequestBody;
  successCriteria: Criterion[];
  outputs: Record<string, string>;
  actions: StepActions;
  /**
   * Arazzo 1.1 step `timeout` (milliseconds): the step activity's schedule-to-close timeout; when it
   * passes, the step fails and its onFailure actions apply (step-activity.ts).
   */
  timeoutMs?: number;
  /**
   * Arazzo 1.1 step `dependsOn`, the steps of its own workflow only (validation places them before it;
   * the walk checks they completed, since a goto may have skipped one). Other workflows' steps are
   * ordered by the workflow's `dependsOn`.
   */
  dependsOn?: string[];
  /** Whether a person must approve the step before it runs (DELETE by default; `x-approval`). */
  approval: ApprovalRequirement;
  compensation?: PlanCompensation;
}

export interface PlanWorkflow {
  workflowId: string;
  summary?: string;
  /** JSON Schema of the inputs (validated in the load activity, kept for nested runs). */
  inputs?: unknown;
  dependsOn: string[];
  steps: PlanStep[];
  outputs: Record<string, string>;
  /** `x-lock-key`: an expression (or template) over the inputs naming the resource a run locks. */
  lockKey?: string;
  /** `x-managed`: how a managed credential carries the new identifiers into the next rotation. */
  managed?: ManagedSpec;
}

export interface Plan {
  /** `self`: a 1.1 document's `$self`, resolved against `url` (what `$self` expressions read). */
  document: { url: string; title?: string; self?: string };
  /** The Arazzo workflowId this run executes. */
  workflowId: string;
  /** Every workflow reachable from it (itself, dependsOn, workflowId steps, goto targets). */
  workflows: Record<string, PlanWorkflow>;
  /** Template mode the run uses (see expressions/template.ts). */
  strict: boolean;
}
