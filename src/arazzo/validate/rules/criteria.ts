import { compileCriterion } from '../../criteria/index.js';
import type { Criterion } from '../../model.js';
import { componentsOf, isObject, itemsOf, type JsonObject, stepsOf, workflowsOf } from '../document-walk.js';
import type { RuleContext } from '../rule-context.js';

const CRITERION_TYPES = ['simple', 'regex', 'jsonpath', 'xpath'];

/**
 * Every criterion compiles (its condition parses in its dialect), and what compiling warns about is
 * shown (a double-quoted string literal: accepted here, not by the spec's grammar, so other tools may
 * refuse it). Criteria whose shape the schema rejects (no condition, unknown type) are left to the
 * schema findings.
 */
export function checkCriteria(ctx: RuleContext): void {
  const lists: Array<{ owner: JsonObject; field: string; pointer: string }> = [];
  for (const workflow of workflowsOf(ctx.document)) {
    for (const field of ['successActions', 'failureActions']) {
      for (const { item, pointer } of itemsOf(workflow.workflow, field, workflow.pointer))
        lists.push({ owner: item, field: 'criteria', pointer });
    }
    for (const step of stepsOf(workflow)) {
      lists.push({ owner: step.step, field: 'successCriteria', pointer: step.pointer });
      for (const field of ['onSuccess', 'onFailure']) {
        for (const { item, pointer } of itemsOf(step.step, field, step.pointer))
          lists.push({ owner: item, field: 'criteria', pointer });
      }
    }
  }
  const components = componentsOf(ctx.document);
  for (const kind of ['successActions', 'failureActions']) {
    if (!isObject(components[kind])) continue;
    for (const [name, action] of Object.entries(components[kind])) {
      if (isObject(action)) lists.push({ owner: action, field: 'criteria', pointer: `/components/${kind}/${name}` });
    }
  }
  for (const list of lists) {
    for (const { item, pointer } of itemsOf(list.owner, list.field, list.pointer)) {
      if (typeof item.condition !== 'string') continue;
      const type = isObject(item.type) ? item.type.type : (item.type ?? 'simple');
      if (!CRITERION_TYPES.includes(type)) continue;
      // A non-simple criterion without context is a schema finding (dependentRequired); don't repeat it.
      if (type !== 'simple' && typeof item.context !== 'string') continue;
      const compiled = compileCriterion(item as unknown as Criterion);
      if (compiled.ok) {
        for (const warning of compiled.warnings ?? []) {
          ctx.report({
            code: warning.code ?? 'criterion-warning',
            severity: 'warning',
            message: `${type} condition "${item.condition}": ${warning.message}`,
            hint: warning.hint,
            pointer: `${pointer}/${warning.field ?? 'condition'}`,
          });
        }
        continue;
      }
      ctx.report({
        code: 'invalid-criterion',
        message: `${type} condition "${item.condition}" does not compile: ${compiled.error.message}`,
        hint: compiled.error.hint,
        pointer: `${pointer}/condition`,
      });
    }
  }
}
