// Builds the effective success/failure action lists of a step from the document.
//
// MERGE ORDER (the spec says workflow-level actions apply to every step, and a step's action of
// the same `name` overrides the workflow's but can never remove the others; it does not say where
// the merged entries go). We use: the step's own actions first, in their order, then the
// workflow-level actions whose `name` the step does not override, in their order. Rationale:
// actions are tried first-match-wins, so the more specific (step) handlers must be tried before
// the general (workflow) ones, like nested catch blocks; an override takes the step's position.
//
// A Reusable Object (`$components.successActions.x` / `$components.failureActions.x`) is replaced by
// its target; the target's own `name` (not the component key) is what takes part in overriding.
import type { Components, Criterion, FailureAction, ReusableObject, Step, SuccessAction, Workflow } from '../model.js';
import { FlowDefinitionError } from './errors.js';
import { joinPointer } from '../document/json-pointer.js';
import type { ResolvedAction, StepActions } from './types.js';

export interface ResolveOptions {
  /**
   * Index of `workflow` in the document's `workflows`, so pointers are absolute
   * (`/workflows/0/steps/2/onFailure/1`). Without it they are relative to the workflow object
   * (`/steps/2/onFailure/1`); component pointers are always absolute.
   */
  workflowIndex?: number;
}

type Phase = 'success' | 'failure';

const LIST = { success: 'successActions', failure: 'failureActions' } as const;
const STEP_LIST = { success: 'onSuccess', failure: 'onFailure' } as const;
const ALLOWED_TYPES: Record<Phase, ReadonlyArray<string>> = {
  success: ['end', 'goto'],
  failure: ['end', 'goto', 'retry'],
};

/**
 * The effective, ordered actions of `step` (step's own first, then the workflow's not overridden
 * by name). Throws FlowDefinitionError for an unknown or malformed reference, an invalid type, a
 * goto without exactly one target, a `stepId` target outside the workflow, or a duplicate name in
 * one list; validation normally reports these first.
 */
export function resolveStepActions(
  workflow: Workflow,
  step: Step,
  components?: Components,
  options: ResolveOptions = {},
): StepActions {
  const wfPointer = options.workflowIndex === undefined ? '' : joinPointer('', 'workflows', options.workflowIndex);
  let stepIndex = workflow.steps.indexOf(step);
  if (stepIndex < 0) stepIndex = workflow.steps.findIndex((s) => s.stepId === step.stepId);
  if (stepIndex < 0) {
    throw new FlowDefinitionError(
      'step-not-in-workflow',
      joinPointer(wfPointer, 'steps'),
      `step '${step.stepId}' is not a step of workflow '${workflow.workflowId}'`,
    );
  }
  const stepPointer = joinPointer(wfPointer, 'steps', stepIndex);
  const ctx: Ctx = { workflow, components };
  const merge = (phase: Phase): ResolvedAction[] => {
    const own = resolveList(ctx, phase, step[STEP_LIST[phase]], 'step', joinPointer(stepPointer, STEP_LIST[phase]));
    const inherited = resolveList(ctx, phase, workflow[LIST[phase]], 'workflow', joinPointer(wfPointer, LIST[phase]));
    const overridden = new Set(own.map((a) => a.name));
    return [...own, ...inherited.filter((a) => !overridden.has(a.name))];
  };
  return { success: merge('success'), failure: merge('failure') };
}

interface Ctx {
  workflow: Workflow;
  components: Components | undefined;
}

function resolveList(
  ctx: Ctx,
  phase: Phase,
  list: Array<SuccessAction | FailureAction | ReusableObject> | undefined,
  level: 'step' | 'workflow',
  listPointer: string,
): ResolvedAction[] {
  const out: ResolvedAction[] = [];
  const seen = new Map<string, string>();
  (list ?? []).forEach((entry, i) => {
    const pointer = joinPointer(listPointer, i);
    const action = isReusable(entry)
      ? resolveAction(ctx, phase, dereference(ctx, phase, entry.reference, pointer), 'component', level, pointer)
      : resolveAction(ctx, phase, { value: entry, pointer }, level, level, undefined);
    // Names are the identity used for overriding (and for retry counters): two in one list is ambiguous.
    const earlier = seen.get(action.name);
    if (earlier !== undefined) {
      throw new FlowDefinitionError(
        'duplicate-action-name',
        pointer,
        `${phase} action '${action.name}' is listed twice (first at ${earlier})`,
      );
    }
    seen.set(action.name, pointer);
    out.push(action);
  });
  return out;
}

function isReusable(entry: unknown): entry is ReusableObject {
  return typeof entry === 'object' && entry !== null && 'reference' in entry && !('type' in entry);
}

/** Looks a `$components.<kind>.<name>` reference up; the name is everything after the kind (it may contain dots). */
function dereference(
  ctx: Ctx,
  phase: Phase,
  reference: unknown,
  pointer: string,
): { value: SuccessAction | FailureAction; pointer: string } {
  const text = typeof reference === 'string' ? reference.replace(/^\{(.*)\}$/s, '$1').trim() : '';
  const match = /^\$components\.([A-Za-z]+)\.(.+)$/s.exec(text);
  if (!match) {
    throw new FlowDefinitionError(
      'invalid-component-reference',
      joinPointer(pointer, 'reference'),
      `reference ${JSON.stringify(reference)} is not a $components.${LIST[phase]}.<name> expression`,
    );
  }
  const [, kind, name] = match;
  if (kind !== LIST[phase]) {
    throw new FlowDefinitionError(
      'invalid-component-reference',
      joinPointer(pointer, 'reference'),
      `a ${phase} action must reference $components.${LIST[phase]}, not $components.${kind}`,
    );
  }
  const table = ctx.components?.[LIST[phase]] as Record<string, SuccessAction | FailureAction> | undefined;
  const target = table && Object.hasOwn(table, name) ? table[name] : undefined;
  if (target === undefined) {
    throw new FlowDefinitionError(
      'unknown-component-reference',
      joinPointer(pointer, 'reference'),
      `reference '${text}' names no entry of components.${LIST[phase]}`,
    );
  }
  return { value: target, pointer: joinPointer('', 'components', LIST[phase], name) };
}

function resolveAction(
  ctx: Ctx,
  phase: Phase,
  source: { value: SuccessAction | FailureAction; pointer: string },
  origin: ResolvedAction['origin'],
  level: ResolvedAction['level'],
  referencedFrom: string | undefined,
): ResolvedAction {
  const { value: a, pointer } = source;
  if (!ALLOWED_TYPES[phase].includes(a.type)) {
    throw new FlowDefinitionError(
      'invalid-action-type',
      joinPointer(pointer, 'type'),
      `${phase} action '${a.name}' has type ${JSON.stringify(a.type)}; allowed: ${ALLOWED_TYPES[phase].join(', ')}`,
    );
  }
  const hasStep = a.stepId !== undefined;
  const hasWorkflow = a.workflowId !== undefined;
  if (a.type !== 'end' && hasStep && hasWorkflow) {
    throw new FlowDefinitionError(
      'ambiguous-action-target',
      pointer,
      `action '${a.name}' names both stepId and workflowId; they are mutually exclusive`,
    );
  }
  if (a.type === 'goto' && !hasStep && !hasWorkflow) {
    throw new FlowDefinitionError(
      'missing-action-target',
      pointer,
      `goto action '${a.name}' names no stepId or workflowId`,
    );
  }
  if (hasStep && a.type !== 'end' && !ctx.workflow.steps.some((s) => s.stepId === a.stepId)) {
    throw new FlowDefinitionError(
      'unknown-step-target',
      joinPointer(pointer, 'stepId'),
      `action '${a.name}' targets step '${a.stepId}', which is not in workflow '${ctx.workflow.workflowId}'`,
    );
  }
  const resolved: ResolvedAction = {
    name: a.name,
    type: a.type,
    criteria: [...((a.criteria ?? []) as Criterion[])],
    origin,
    level,
    pointer,
  };
  // Targets only matter for goto/retry (spec: "only relevant when type is goto/retry"); an `end` ignores them.
  if (a.type !== 'end') {
    if (hasStep) resolved.stepId = a.stepId;
    if (hasWorkflow) resolved.workflowId = a.workflowId;
    if (hasWorkflow && Array.isArray(a.parameters)) resolved.parameters = a.parameters;
  }
  if (a.type === 'retry') {
    const fa = a as FailureAction;
    if (fa.retryAfter !== undefined) resolved.retryAfter = fa.retryAfter;
    resolved.retryLimit = fa.retryLimit ?? 1;
  }
  if (referencedFrom !== undefined) resolved.referencedFrom = referencedFrom;
  return resolved;
}
