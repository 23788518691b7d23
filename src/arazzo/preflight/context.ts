// What every pre-flight rule reads (the document set, the step and the operation it calls) and the one
// way it reports. Findings go through validate's `toFinding`, so a pre-flight finding carries the same
// location, workflowId and stepId as a validation finding would for the same pointer.
import type { DocumentSet } from '../document/document-set.js';
import type { ResolvedChannelStep } from '../document/channel-index.js';
import type { ResolvedOperation } from '../document/operation-index.js';
import type { Finding } from '../model.js';
import type { StepNode, WorkflowNode } from '../validate/document-walk.js';
import { type Report, toFinding } from '../validate/rule-context.js';

export interface PreflightContext {
  set: DocumentSet;
  /** The entry document, unvalidated: read it through document-walk's shape-checking accessors. */
  document: unknown;
  findings: Finding[];
  report(report: Report): void;
}

export function createPreflightContext(set: DocumentSet): PreflightContext {
  const findings: Finding[] = [];
  const document = set.entry.document;
  return {
    set,
    document,
    findings,
    report: (report) => findings.push(toFinding(document, set.entry.sourceMap, report)),
  };
}

/** A step of the workflow being checked, with the operation it calls (when it calls one that resolves). */
export interface StepTarget {
  stepNode: StepNode;
  operation?: ResolvedOperation;
  /** Arazzo 1.1 channel steps: the channel, message and server it resolves to (when it resolves). */
  channel?: ResolvedChannelStep;
}

/** One workflow, its steps in document order, and their operations: what the flow rules look across. */
export interface WorkflowFlow {
  workflow: WorkflowNode;
  steps: StepTarget[];
}

/** A rule looks at one step (and, for flow hazards, at the steps around it). */
export type PreflightRule = (ctx: PreflightContext, step: StepTarget, flow: WorkflowFlow) => void;

/** `createConnection`, or `DELETE /connections/{id}` when the operation has no operationId. */
export function operationLabel(operation: ResolvedOperation): string {
  const id = operation.operation.operationId;
  return typeof id === 'string' ? id : `${operation.method.toUpperCase()} ${operation.path}`;
}

/** `"revokeOldConnection"` or `#3` for a step without a usable stepId. */
export function stepLabel(step: StepNode): string {
  return step.stepId ?? `#${step.index}`;
}
