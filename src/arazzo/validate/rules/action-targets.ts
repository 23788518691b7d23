import { didYouMean } from '../did-you-mean.js';
import { type JsonObject, itemsOf, stepsOf, type WorkflowNode, workflowsOf } from '../document-walk.js';
import type { RuleContext } from '../rule-context.js';
import { checkWorkflowReference } from '../workflow-reference.js';
import { resolveComponent } from './component-references.js';

/**
 * Every `goto`/`retry` target exists: a stepId of the same workflow, or a workflow. Actions reused
 * from components are checked where they are referenced, since their stepId means a step of the
 * referencing workflow.
 */
export function checkActionTargets(ctx: RuleContext): void {
  for (const workflow of workflowsOf(ctx.document)) {
    const lists: Array<{ owner: JsonObject; field: string; pointer: string; kind: string }> = [
      { owner: workflow.workflow, field: 'successActions', pointer: workflow.pointer, kind: 'successActions' },
      { owner: workflow.workflow, field: 'failureActions', pointer: workflow.pointer, kind: 'failureActions' },
      ...stepsOf(workflow).flatMap((step) => [
        { owner: step.step, field: 'onSuccess', pointer: step.pointer, kind: 'successActions' },
        { owner: step.step, field: 'onFailure', pointer: step.pointer, kind: 'failureActions' },
      ]),
    ];
    for (const list of lists) {
      for (const { item, pointer } of itemsOf(list.owner, list.field, list.pointer)) {
        const action = typeof item.reference === 'string' ? resolveComponent(ctx, item.reference, list.kind) : item;
        if (action) checkTarget(ctx, workflow, action, pointer, typeof item.reference === 'string');
      }
    }
  }
}

function checkTarget(
  ctx: RuleContext,
  workflow: WorkflowNode,
  action: JsonObject,
  pointer: string,
  viaReference: boolean,
) {
  if (action.type !== 'goto' && action.type !== 'retry') return;
  const label = `${action.type} action${typeof action.name === 'string' ? ` "${action.name}"` : ''}`;
  if (typeof action.stepId === 'string') {
    const stepIds = [...new Set(stepsOf(workflow).flatMap((step) => (step.stepId ? [step.stepId] : [])))];
    if (!stepIds.includes(action.stepId)) {
      ctx.report({
        code: 'unknown-step',
        message: `${label} goes to step "${action.stepId}", which is not a step of workflow "${workflow.workflowId ?? workflow.index}"`,
        hint: didYouMean(action.stepId, stepIds, `steps of this workflow: ${stepIds.join(', ')}`),
        pointer: viaReference ? pointer : `${pointer}/stepId`,
      });
    }
  }
  if (typeof action.workflowId === 'string') {
    checkWorkflowReference(
      ctx,
      action.workflowId,
      viaReference ? pointer : `${pointer}/workflowId`,
      `${label} workflowId`,
    );
  }
}
