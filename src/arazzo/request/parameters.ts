// Parameter lists: resolving `{reference: $components.parameters.x, value?}` Reusable Objects and
// merging workflow-level with step-level parameters (a step parameter replaces the workflow one
// with the same name and location; header names compare case-insensitively, per RFC 9110).
import { parseRuntimeExpression } from '../expressions/index.js';
import type { Parameter, ReusableObject } from '../model.js';
import { RequestBuildError } from './errors.js';

export function isReusableObject(p: unknown): p is ReusableObject {
  return p !== null && typeof p === 'object' && typeof (p as { reference?: unknown }).reference === 'string';
}

/** Resolves one parameter; a Reusable Object's `value`, when present, overrides the component's. */
export function resolveParameter(p: Parameter | ReusableObject, components: Record<string, Parameter> = {}): Parameter {
  if (!isReusableObject(p)) return p;
  const parsed = parseRuntimeExpression(p.reference);
  if (!parsed.ok) {
    throw new RequestBuildError('invalid-reference', `invalid reference \`${p.reference}\`: ${parsed.error.message}`, {
      expression: p.reference,
      offset: parsed.error.offset,
    });
  }
  const e = parsed.value;
  if (e.kind !== 'components' || e.componentKind !== 'parameters' || e.pointer !== undefined) {
    throw new RequestBuildError(
      'invalid-reference',
      `a parameter reference must be \`$components.parameters.<name>\`, found \`${p.reference}\``,
      {
        expression: p.reference,
      },
    );
  }
  if (!Object.hasOwn(components, e.name)) {
    throw new RequestBuildError(
      'unknown-component',
      `\`${p.reference}\` does not name a parameter in components.parameters`,
      {
        expression: p.reference,
      },
    );
  }
  const base = components[e.name];
  return 'value' in p && p.value !== undefined ? { ...base, value: p.value } : { ...base };
}

function sameParameter(a: Parameter, b: Parameter): boolean {
  if (a.in !== b.in) return false;
  return a.in === 'header' ? a.name.toLowerCase() === b.name.toLowerCase() : a.name === b.name;
}

/**
 * Resolves references in both lists and merges them: workflow-level parameters keep their order,
 * a step-level parameter with the same name+in replaces its workflow-level twin in place, and the
 * remaining step-level parameters follow.
 */
export function mergeParameters(
  workflowLevel: ReadonlyArray<Parameter | ReusableObject> = [],
  stepLevel: ReadonlyArray<Parameter | ReusableObject> = [],
  components: Record<string, Parameter> = {},
): Parameter[] {
  const wf = workflowLevel.map((p) => resolveParameter(p, components));
  const step = stepLevel.map((p) => resolveParameter(p, components));
  const used = new Set<number>();
  const merged = wf.map((w) => {
    const index = step.findIndex((s, i) => !used.has(i) && sameParameter(s, w));
    if (index < 0) return w;
    used.add(index);
    return step[index];
  });
  step.forEach((s, i) => {
    if (!used.has(i)) merged.push(s);
  });
  return merged;
}
