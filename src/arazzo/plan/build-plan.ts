// DocumentSet → Plan: picks the workflow to run, follows what it can reach, and copies only what
// execution needs. Expects a document that validation passed (it throws PlanError otherwise, with
// the pointer of what it could not resolve, so a broken plan never reaches a worker).
import { isAvailable, type DocumentSet, findOperation, type ResolvedOperation } from '../document/index.js';
import { type StepActions, resolveStepActions } from '../flow/index.js';
import { readManagedSpec } from '../managed/managed-spec.js';
import type { Components, Parameter, Step, Workflow } from '../model.js';
import { mergeParameters } from '../request/parameters.js';
import { resolveServerUrl } from '../request/servers.js';
import type { OperationParameter } from '../request/serialize-parameter.js';
import type { ApprovalRequirement, Plan, PlanCompensation, PlanOperation, PlanStep, PlanWorkflow } from './types.js';

export class PlanError extends Error {
  constructor(
    message: string,
    readonly pointer: string,
  ) {
    super(message);
    this.name = 'PlanError';
  }
}

export interface BuildPlanOptions {
  /** The Arazzo workflowId to run; the document's first workflow when absent. */
  workflowId?: string;
  strict?: boolean;
}

export function buildPlan(set: DocumentSet, options: BuildPlanOptions = {}): Plan {
  const doc = set.entry.document;
  if (!doc || !Array.isArray(doc.workflows) || doc.workflows.length === 0) {
    throw new PlanError('the document has no workflows', '/workflows');
  }
  const workflowId = options.workflowId ?? doc.workflows[0].workflowId;
  const byId = new Map(doc.workflows.map((w, i) => [w.workflowId, { workflow: w, index: i }]));
  if (!byId.has(workflowId)) {
    throw new PlanError(
      `the document has no workflow "${workflowId}" (it has: ${[...byId.keys()].join(', ')})`,
      '/workflows',
    );
  }

  const workflows: Record<string, PlanWorkflow> = {};
  const pending = [workflowId];
  while (pending.length) {
    const id = pending.shift()!;
    if (workflows[id]) continue;
    const found = byId.get(id);
    if (!found) throw new PlanError(`workflow "${id}" is referenced but not defined in this document`, '/workflows');
    const planned = planWorkflow(set, found.workflow, found.index, doc.components);
    workflows[id] = planned;
    pending.push(...planned.dependsOn, ...reachableWorkflows(planned));
  }
  return {
    document: { url: set.entry.url, title: doc.info?.title },
    workflowId,
    workflows,
    strict: options.strict ?? false,
  };
}

function reachableWorkflows(workflow: PlanWorkflow): string[] {
  const ids: string[] = [];
  for (const step of workflow.steps) {
    if (step.workflowId) ids.push(step.workflowId);
    for (const action of [...step.actions.success, ...step.actions.failure]) {
      if (action.workflowId) ids.push(action.workflowId);
    }
  }
  return ids;
}

function planWorkflow(set: DocumentSet, workflow: Workflow, index: number, components?: Components): PlanWorkflow {
  const pointer = `/workflows/${index}`;
  const lockKey = workflow['x-lock-key'];
  return {
    workflowId: workflow.workflowId,
    summary: workflow.summary,
    inputs: workflow.inputs,
    dependsOn: workflow.dependsOn ?? [],
    steps: workflow.steps.map((step, i) => planStep(set, workflow, step, `${pointer}/steps/${i}`, index, components)),
    outputs: workflow.outputs ?? {},
    lockKey: typeof lockKey === 'string' ? lockKey : undefined,
    managed: readManagedSpec(workflow as unknown as Record<string, unknown>).spec,
  };
}

function planStep(
  set: DocumentSet,
  workflow: Workflow,
  step: Step,
  pointer: string,
  workflowIndex: number,
  components?: Components,
): PlanStep {
  const parameters = mergeParameters(workflow.parameters, step.parameters, components?.parameters);
  const actions: StepActions = resolveStepActions(workflow, step, components, { workflowIndex });
  const base = {
    stepId: step.stepId,
    pointer,
    description: step.description,
    parameters,
    requestBody: step.requestBody,
    successCriteria: step.successCriteria ?? [],
    outputs: step.outputs ?? {},
    actions,
  };
  if (step.workflowId !== undefined) {
    return { ...base, workflowId: stripSourcePrefix(step.workflowId), approval: approvalOf(step, undefined) };
  }
  const operation = planOperation(set, step, pointer);
  return {
    ...base,
    operation,
    approval: approvalOf(step, operation),
    compensation: planCompensation(set, step, `${pointer}/x-compensation`),
  };
}

/** `$sourceDescriptions.<name>.<workflowId>` names a workflow of another Arazzo document. */
function stripSourcePrefix(workflowId: string): string {
  const match = /^\$sourceDescriptions\.[^.]+\.(.+)$/.exec(workflowId);
  return match ? match[1] : workflowId;
}

/**
 * Destructive steps wait for a person by default. A step can say `x-approval: required` (any
 * method) or `x-approval: none` (opting a DELETE out); the run's options can add more steps.
 */
function approvalOf(step: Step, operation: PlanOperation | undefined): ApprovalRequirement {
  const declared = step['x-approval'];
  if (declared === 'required' || declared === 'none') return declared;
  return operation?.method === 'DELETE' ? 'required' : 'none';
}

function planOperation(
  set: DocumentSet,
  reference: { operationId?: string; operationPath?: string },
  pointer: string,
): PlanOperation {
  const lookup = findOperation(
    set,
    reference.operationId !== undefined
      ? { operationId: reference.operationId }
      : { operationPath: reference.operationPath ?? '' },
  );
  if (!lookup.ok) throw new PlanError(lookup.message, pointer);
  return toPlanOperation(set, lookup.value, reference.operationId);
}

function toPlanOperation(set: DocumentSet, op: ResolvedOperation, operationId?: string): PlanOperation {
  const source = set.sources[op.sourceName];
  const sourceUrl = isAvailable(source) ? source.url : undefined;
  let serverUrl: string;
  try {
    serverUrl = resolveServerUrl(op.servers as never, sourceUrl?.startsWith('http') ? { baseUrl: sourceUrl } : {});
  } catch {
    // A relative server in a local file has no absolute base; the run must then give a server override.
    serverUrl = String(op.servers[0]?.url ?? '/');
  }
  return {
    sourceName: op.sourceName,
    operationId: operationId ?? op.operation.operationId,
    method: op.method.toUpperCase(),
    pathTemplate: op.path,
    serverUrl,
    parameters: operationParameters(op),
  };
}

/** Operation-level parameters override path-item ones with the same name and location (OpenAPI rule). */
function operationParameters(op: ResolvedOperation): OperationParameter[] {
  const own: Array<Record<string, any>> = Array.isArray(op.operation.parameters) ? op.operation.parameters : [];
  const all = [...own];
  for (const p of op.pathItemParameters) {
    if (!own.some((o) => o.name === p.name && o.in === p.in)) all.push(p);
  }
  return all
    .filter((p) => typeof p?.name === 'string' && typeof p?.in === 'string')
    .map((p) => {
      const slim: OperationParameter = { name: p.name, in: p.in };
      if (p.required !== undefined) slim.required = Boolean(p.required);
      if (p.style !== undefined) slim.style = p.style;
      if (p.explode !== undefined) slim.explode = Boolean(p.explode);
      if (p.allowReserved !== undefined) slim.allowReserved = Boolean(p.allowReserved);
      return slim;
    });
}

function planCompensation(set: DocumentSet, step: Step, pointer: string): PlanCompensation | undefined {
  const declared = step['x-compensation'] as Record<string, any> | undefined;
  if (!declared || typeof declared !== 'object') return undefined;
  const operation = planOperation(set, declared, pointer);
  const statuses = Array.isArray(declared.alreadyDoneStatuses) ? declared.alreadyDoneStatuses.map(Number) : [404];
  return {
    operation,
    parameters: (Array.isArray(declared.parameters) ? declared.parameters : []) as Parameter[],
    requestBody: declared.requestBody,
    successCriteria: Array.isArray(declared.successCriteria) ? declared.successCriteria : [],
    alreadyDoneStatuses: statuses,
  };
}
