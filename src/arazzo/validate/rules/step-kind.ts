import { arazzoMinorVersion } from '../../document/arazzo-version.js';
import { itemsOf, stepsOf, workflowsOf } from '../document-walk.js';
import type { RuleContext } from '../rule-context.js';

const STEP_TARGETS_1_0 = ['operationId', 'operationPath', 'workflowId'] as const;
/** 1.1 adds a step on an AsyncAPI channel: an operation, a workflow, or a channel action. */
const STEP_TARGETS_1_1 = ['operationId', 'operationPath', 'channelPath', 'workflowId'] as const;

/**
 * A step calls exactly one thing (operationId, operationPath, workflowId; in 1.1 also channelPath), and a `goto` action
 * goes to exactly one place (stepId or workflowId). The schema says the same with a `oneOf` whose
 * errors are unreadable, so they are reported here instead.
 */
export function checkStepKinds(ctx: RuleContext): void {
  const targets = arazzoMinorVersion(ctx.document) === '1.1' ? STEP_TARGETS_1_1 : STEP_TARGETS_1_0;
  for (const workflow of workflowsOf(ctx.document)) {
    for (const step of stepsOf(workflow)) {
      const present = targets.filter((field) => step.step[field] !== undefined);
      if (present.length !== 1) {
        ctx.report({
          code: 'step-target',
          message:
            `step${step.stepId ? ` "${step.stepId}"` : ''} must have exactly one of ${targets.slice(0, -1).join(', ')} or workflowId; ` +
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
