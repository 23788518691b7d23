// Whether a step's output is read anywhere else in its workflow (a later step, an action, the
// workflow's outputs, an `x-compensation`): the flow rules use it to tell a value that is delivered
// from one that is captured and then dropped.
import { isObject } from '../validate/document-walk.js';
import type { StepTarget, WorkflowFlow } from './context.js';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function isOutputRead(flow: WorkflowFlow, step: StepTarget, name: string): boolean {
  const stepId = step.stepNode.stepId;
  if (stepId === undefined) return false;
  // The name ends where an identifier does (`.x` continues it, `#/...` or text after it does not).
  const pattern = new RegExp(
    `\\$steps\\.${escapeRegExp(stepId)}\\.outputs\\.${escapeRegExp(name)}(?![A-Za-z0-9_-]|\\.[A-Za-z0-9_])`,
  );
  const own = step.stepNode.step.outputs;
  let found = false;
  const visit = (value: unknown, depth: number) => {
    if (found || depth > 64) return;
    if (typeof value === 'string') {
      found = pattern.test(value);
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
    } else if (isObject(value) && value !== own) {
      for (const item of Object.values(value)) visit(item, depth + 1);
    }
  };
  visit(flow.workflow.workflow, 0);
  return found;
}
