import { componentsOf, isObject, type JsonObject, type StepNode } from './document-walk.js';

export interface EffectiveParameter {
  name: string;
  in?: string;
  value: unknown;
  /** Where the parameter (or the Reusable Object that brought it in) is written. */
  pointer: string;
  level: 'workflow' | 'step';
}

/**
 * The parameters a step passes: the workflow's, overridden by the step's (same name and location),
 * with Reusable Objects replaced by the component they reference (and its `value` override).
 * Unresolvable references are skipped; the component rule reports them.
 */
export function effectiveParameters(document: unknown, step: StepNode): EffectiveParameter[] {
  const byKey = new Map<string, EffectiveParameter>();
  const collect = (owner: JsonObject, ownerPointer: string, level: 'workflow' | 'step') => {
    const list = owner.parameters;
    if (!Array.isArray(list)) return;
    list.forEach((item, index) => {
      const parameter = resolveParameter(document, item);
      if (!parameter || typeof parameter.name !== 'string') return;
      const entry: EffectiveParameter = {
        name: parameter.name,
        in: typeof parameter.in === 'string' ? parameter.in : undefined,
        value: parameter.value,
        pointer: `${ownerPointer}/parameters/${index}`,
        level,
      };
      byKey.set(`${entry.in ?? ''}:${entry.name}`, entry);
    });
  };
  collect(step.workflow.workflow, step.workflow.pointer, 'workflow');
  collect(step.step, step.pointer, 'step');
  return [...byKey.values()];
}

function resolveParameter(document: unknown, item: unknown): JsonObject | undefined {
  if (!isObject(item)) return undefined;
  if (typeof item.reference !== 'string') return item;
  const match = /^\$components\.parameters\.(.+)$/.exec(item.reference);
  const group = componentsOf(document).parameters;
  const component = match && isObject(group) ? group[match[1]] : undefined;
  if (!isObject(component)) return undefined;
  return 'value' in item ? { ...component, value: item.value } : component;
}
