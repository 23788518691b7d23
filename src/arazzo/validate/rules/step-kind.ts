import { itemsOf, stepsOf, workflowsOf } from '../document-walk.js';
import type { RuleContext } from '../rule-context.js';

const STEP_TARGETS = ['operationId', 'operationPath', 'workflowId'] as const;

/**
 * A step calls exactly one thing (operationId, operationPath or workflowId), and a `goto` action
 * goes to exactly one place (stepId or workflowId). The schema says the same with a `oneOf` whose
 * errors are unreadable, so they are reported here instead.
 */
export function checkStepKinds(ctx: RuleContext): void {
  for (const workflow of workflowsOf(ctx.document)) {
    for (const step of stepsOf(workflow)) {
      const present = STEP_TARGETS.filter((field) => step.step[field] !== undefined);
      if (present.length !== 1) {
        ctx.report({
          code: 'step-target',
          message:
            `step${step.stepId ? ` "${step.stepId}"` : ''} must have exactly one of operationId, operationPath or workflowId; ` +
            (present.length === 0 ? 'it has none' : `it has ${present.join(' and ')}`),
          hint:
            present.length === 0
              ? 'add `operationId: <id>` to call an API operation, or `workflowId: <id>` to run another workflow'
              : `keep one of ${present.join(', ')}`,
          pointer: present.length > 1 ? `${step.pointer}/${present[1]}` : step.pointer,
        });
      }
      for (const field of ['onSuccess', 'onFailure']) {
        for (const { item, pointer } of itemsOf(step.step, field, step.pointer)) checkGoto(ctx, item, pointer);
      }
    }
    for (const field of ['successActions', 'failureActions']) {
      for (const { item, pointer } of itemsOf(workflow.workflow, field, workflow.pointer))
        checkGoto(ctx, item, pointer);
    }
  }
}

function checkGoto(ctx: RuleContext, action: Record<string, unknown>, pointer: string): void {
  if (action.type !== 'goto') return;
  const present = ['stepId', 'workflowId'].filter((field) => action[field] !== undefined);
  if (present.length === 1) return;
  ctx.report({
    code: 'goto-target',
    message: `goto action${typeof action.name === 'string' ? ` "${action.name}"` : ''} must have exactly one of stepId or workflowId; ${present.length === 0 ? 'it has none' : 'it has both'}`,
    hint:
      present.length === 0
        ? 'add `stepId: <a step of this workflow>` or `workflowId: <a workflow>`'
        : 'keep one of them',
    pointer,
  });
}
