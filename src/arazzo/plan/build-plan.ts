// DocumentSet → Plan: picks the workflow to run, follows what it can reach, and copies only what
// execution needs. Expects a document that validation passed (it throws PlanError otherwise, with
// the pointer of what it could not resolve, so a broken plan never reaches a worker).
import {
  type DocumentSet,
  findChannel,
  findOperation,
  isChannelStep,
  isAvailable,
  nestedSet,
  type ResolvedOperation,
  resolveUrl,
} from '../document/index.js';
import { type ResolvedAction, type StepActions, resolveStepActions } from '../flow/index.js';
import { arazzoMinorVersion } from '../document/arazzo-version.js';
import type { Components, Parameter, RequestBody, Step, Workflow } from '../model.js';
import { readManagedSpec } from '../managed/managed-spec.js';
import { markSelector, markSelectorsDeep } from '../selectors/plan-selectors.js';
import { mergeParameters } from '../request/parameters.js';
import { resolveServerUrl } from '../request/servers.js';
import type { OperationParameter } from '../request/serialize-parameter.js';
import type {
  ApprovalRequirement,
  Plan,
  PlanCompensation,
  PlanMessageStep,
  PlanOperation,
  PlanStep,
  PlanWorkflow,
} from './types.js';

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
  if (!doc.workflows.some((w) => w.workflowId === workflowId)) {
    throw new PlanError(
      `the document has no workflow "${workflowId}" (it has: ${doc.workflows.map((w) => w.workflowId).join(', ')})`,
      '/workflows',
    );
  }

  const workflows: Record<string, PlanWorkflow> = {};
  const pending = [workflowId];
  while (pending.length) {
    const key = pending.shift()!;
    if (workflows[key]) continue;
    const found = findWorkflow(set, key);
    const planned = planWorkflow(found.set, found.workflow, found.index, found.prefix);
    workflows[key] = planned;
    pending.push(...planned.dependsOn, ...reachableWorkflows(planned));
  }
  return {
    document: {
      url: set.entry.url,
      title: doc.info?.title,
      ...(is11(set) && typeof doc.$self === 'string' ? { self: resolveUrl(doc.$self, set.entry.url) } : {}),
    },
    workflowId,
    workflows,
    strict: options.strict ?? false,
  };
}

const QUALIFIED_WORKFLOW = /^\$sourceDescriptions\.([^.]+)\.(.+)$/;

/**
 * The plan key of a workflow: its workflowId in the entry document; `$sourceDescriptions.<name>.<id>`
 * for a workflow of the `arazzo` source `<name>` (and so on down: a workflow of that document's own
 * source `b` is `$sourceDescriptions.<name>.$sourceDescriptions.b.<id>`). A reference written in a
 * source document is its key with that document's prefix in front, so keys never collide.
 */
function findWorkflow(
  set: DocumentSet,
  key: string,
  prefix = '',
): { set: DocumentSet; workflow: Workflow; index: number; prefix: string } {
  const qualified = QUALIFIED_WORKFLOW.exec(key);
  if (qualified) {
    const [, name, rest] = qualified;
    const source = set.sources[name];
    if (!isAvailable(source) || source.type !== 'arazzo') {
      throw new PlanError(
        `workflow "${prefix}${key}": source "${name}" is not a loaded Arazzo document`,
        '/sourceDescriptions',
      );
    }
    return findWorkflow(nestedSet(source), rest, `${prefix}$sourceDescriptions.${name}.`);
  }
  const workflows = set.entry.document?.workflows ?? [];
  const index = workflows.findIndex((w) => w.workflowId === key);
  if (index < 0) {
    throw new PlanError(`workflow "${prefix}${key}" is referenced but not defined in ${set.entry.url}`, '/workflows');
  }
  return { set, workflow: workflows[index], index, prefix };
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

/**
 * `prefix` is empty for the entry document's workflows and `$sourceDescriptions.<name>.` (repeated
 * down the chain) for a source document's: its workflow references and source names get it, so the
 * plan names everything uniquely and the source document's operations keep their own servers.
 */
function planWorkflow(set: DocumentSet, workflow: Workflow, index: number, prefix: string): PlanWorkflow {
  const pointer = `/workflows/${index}`;
  const lockKey = workflow['x-lock-key'];
  const components = set.entry.document?.components;
  const steps = workflow.steps.map((step, i) =>
    planStep(set, workflow, step, `${pointer}/steps/${i}`, index, components, prefix),
  );
  return {
    workflowId: prefix + workflow.workflowId,
    summary: workflow.summary,
    inputs: workflow.inputs,
    dependsOn: (workflow.dependsOn ?? []).map((id) => prefix + id),
    steps,
    outputs: selectorsMarked(set, workflow.outputs ?? {}),
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
  components: Components | undefined,
  prefix: string,
): PlanStep {
  const parameters = mergeParameters(workflow.parameters, step.parameters, components?.parameters);
  const resolved: StepActions = resolveStepActions(workflow, step, components, { workflowIndex });
  const planned = (action: ResolvedAction): ResolvedAction => {
    if (action.workflowId === undefined) return action;
    const out = { ...action, workflowId: prefix + action.workflowId };
    if (action.parameters) {
      // 1.1 workflow-input mapping: references resolved, selectors in the plan's form.
      const inputs = mergeParameters(undefined, action.parameters, components?.parameters);
      out.parameters = inputs.map((parameter) => ({ ...parameter, value: markSelector(parameter.value) }));
    }
    return out;
  };
  const hasParameters = [...resolved.success, ...resolved.failure].some((a) => a.parameters);
  const actions: StepActions =
    prefix || hasParameters
      ? { success: resolved.success.map(planned), failure: resolved.failure.map(planned) }
      : resolved;
  const base = {
    stepId: step.stepId,
    pointer,
    description: step.description,
    parameters: is11(set)
      ? parameters.map((parameter) => ({ ...parameter, value: markSelector(parameter.value) }))
      : parameters,
    requestBody: is11(set) ? requestBodyMarked(step.requestBody) : step.requestBody,
    successCriteria: step.successCriteria ?? [],
    outputs: selectorsMarked(set, step.outputs ?? {}),
    ...(is11(set) && typeof step.timeout === 'number' ? { timeoutMs: step.timeout } : {}),
    ...(is11(set) && Array.isArray(step.dependsOn)
      ? { dependsOn: step.dependsOn.filter((id) => !id.startsWith('$')) }
      : {}),
    actions,
  };
  if (step.workflowId !== undefined) {
    return { ...base, workflowId: prefix + step.workflowId, approval: approvalOf(step, undefined) };
  }
  if (is11(set) && isChannelStep(step)) {
    return { ...base, message: planMessageStep(set, step, pointer, prefix), approval: approvalOf(step, undefined) };
  }
  const operation = planOperation(set, step, pointer, prefix);
  return {
    ...base,
    operation,
    approval: approvalOf(step, operation),
    compensation: planCompensation(set, step, `${pointer}/x-compensation`, prefix),
  };
}

/** Whether the document is Arazzo 1.1 (Selector Objects, step timeouts...). */
function is11(set: DocumentSet): boolean {
  return arazzoMinorVersion(set.entry.document) === '1.1';
}

/** Outputs with their Selector Objects in the plan's form (1.1 only; 1.0 outputs are strings). */
function selectorsMarked(set: DocumentSet, outputs: Record<string, unknown>): Record<string, string> {
  if (!is11(set)) return outputs as Record<string, string>;
  return Object.fromEntries(Object.entries(outputs).map(([name, value]) => [name, markSelector(value)])) as Record<
    string,
    string
  >;
}

/** A 1.1 request body: Selector Objects anywhere in the payload and in replacement values. */
function requestBodyMarked(body: RequestBody | undefined): RequestBody | undefined {
  if (!body) return body;
  return {
    ...body,
    ...(body.payload !== undefined ? { payload: markSelectorsDeep(body.payload) } : {}),
    ...(body.replacements
      ? { replacements: body.replacements.map((r) => ({ ...r, value: markSelector(r.value) })) }
      : {}),
  };
}

/**
 * The plan's name for a source: its own name in the entry document; `<name>.<source>` for a source
 * of the Arazzo source `<name>` (source names cannot contain dots), which is also the key a run's
 * `servers` override uses for it.
 */
function planSourceName(prefix: string, sourceName: string): string {
  const chain = [...prefix.matchAll(/\$sourceDescriptions\.([^.]+)\./g)].map((match) => match[1]);
  return [...chain, sourceName].join('.');
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

/**
 * A channel step's channel, message and server, from its AsyncAPI source (channel-index.ts says which
 * channel an action on an operation means). Only names and locations: no schemas enter the plan.
 */
function planMessageStep(set: DocumentSet, step: Step, pointer: string, prefix: string): PlanMessageStep {
  if (step.action !== 'send' && step.action !== 'receive') {
    throw new PlanError(`step "${step.stepId}" acts on a channel without action: send or receive`, pointer);
  }
  const reference =
    step.channelPath !== undefined
      ? { channelPath: step.channelPath }
      : step.operationId !== undefined
        ? { operationId: step.operationId }
        : undefined;
  if (!reference) {
    throw new PlanError(`step "${step.stepId}" names no AsyncAPI operationId or channelPath`, pointer);
  }
  const lookup = findChannel(set, reference, step.action);
  if (!lookup.ok) throw new PlanError(lookup.message, pointer);
  const { channel, message, server, operation } = lookup.value;
  if (!server) {
    throw new PlanError(
      `AsyncAPI source "${lookup.value.sourceName}" declares no server for channel "${channel.key}"`,
      pointer,
    );
  }
  return {
    action: step.action,
    channel: {
      sourceName: prefix ? planSourceName(prefix, lookup.value.sourceName) : lookup.value.sourceName,
      ...(operation ? { operationId: operation.id } : {}),
      channelKey: channel.key,
      address: channel.address ?? channel.key,
      server: { name: server.name, protocol: server.protocol, host: server.host },
      ...(message
        ? {
            message: {
              name: message.name,
              ...(message.contentType ? { contentType: message.contentType } : {}),
              ...(message.correlationIdLocation ? { correlationIdLocation: message.correlationIdLocation } : {}),
            },
          }
        : {}),
    },
    ...(step.correlationId !== undefined ? { correlationId: step.correlationId } : {}),
  };
}

function planOperation(
  set: DocumentSet,
  reference: { operationId?: string; operationPath?: string },
  pointer: string,
  prefix: string,
): PlanOperation {
  const lookup = findOperation(
    set,
    reference.operationId !== undefined
      ? { operationId: reference.operationId }
      : { operationPath: reference.operationPath ?? '' },
  );
  if (!lookup.ok) throw new PlanError(lookup.message, pointer);
  const operation = toPlanOperation(set, lookup.value, reference.operationId);
  return prefix ? { ...operation, sourceName: planSourceName(prefix, operation.sourceName) } : operation;
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
      // OpenAPI 3.2 `in: querystring` carries its format as the one media type of `content`.
      if (p.in === 'querystring' && p.content && typeof p.content === 'object') {
        const [contentType] = Object.keys(p.content);
        if (contentType) slim.contentType = contentType;
      }
      return slim;
    });
}

function planCompensation(set: DocumentSet, step: Step, pointer: string, prefix: string): PlanCompensation | undefined {
  const declared = step['x-compensation'] as Record<string, any> | undefined;
  if (!declared || typeof declared !== 'object') return undefined;
  const operation = planOperation(set, declared, pointer, prefix);
  const statuses = Array.isArray(declared.alreadyDoneStatuses) ? declared.alreadyDoneStatuses.map(Number) : [404];
  return {
    operation,
    parameters: (Array.isArray(declared.parameters) ? declared.parameters : []) as Parameter[],
    requestBody: declared.requestBody,
    successCriteria: Array.isArray(declared.successCriteria) ? declared.successCriteria : [],
    alreadyDoneStatuses: statuses,
  };
}
