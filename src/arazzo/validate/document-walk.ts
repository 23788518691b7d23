// Safe traversal of an *unvalidated* document. Semantic rules run even when the schema check found
// problems, so every accessor here checks shapes and skips what it cannot read: a broken node is
// left to the schema findings and only the rules about that node are skipped.

import { toPointer } from '../document/json-pointer.js';

export type JsonObject = Record<string, any>;

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export interface WorkflowNode {
  workflow: JsonObject;
  index: number;
  pointer: string;
  workflowId?: string;
}

export interface StepNode {
  step: JsonObject;
  index: number;
  pointer: string;
  stepId?: string;
  workflow: WorkflowNode;
}

export function workflowsOf(document: unknown): WorkflowNode[] {
  if (!isObject(document) || !Array.isArray(document.workflows)) return [];
  return document.workflows.flatMap((workflow, index) =>
    isObject(workflow)
      ? [
          {
            workflow,
            index,
            pointer: toPointer(['workflows', index]),
            workflowId: typeof workflow.workflowId === 'string' ? workflow.workflowId : undefined,
          },
        ]
      : [],
  );
}

export function stepsOf(workflow: WorkflowNode): StepNode[] {
  const steps = workflow.workflow.steps;
  if (!Array.isArray(steps)) return [];
  return steps.flatMap((step, index) =>
    isObject(step)
      ? [
          {
            step,
            index,
            pointer: `${workflow.pointer}/steps/${index}`,
            stepId: typeof step.stepId === 'string' ? step.stepId : undefined,
            workflow,
          },
        ]
      : [],
  );
}

/** The object items of an array field, with their pointers. */
export function itemsOf(
  owner: JsonObject,
  field: string,
  ownerPointer: string,
): Array<{ item: JsonObject; pointer: string }> {
  const list = owner[field];
  if (!Array.isArray(list)) return [];
  return list.flatMap((item, index) =>
    isObject(item) ? [{ item, pointer: `${ownerPointer}/${field}/${index}` }] : [],
  );
}

export function componentsOf(document: unknown): JsonObject {
  return isObject(document) && isObject(document.components) ? document.components : {};
}

/** Names of the source descriptions, in order (duplicates kept). */
export function sourceNamesOf(document: unknown): string[] {
  if (!isObject(document) || !Array.isArray(document.sourceDescriptions)) return [];
  return document.sourceDescriptions.flatMap((source) =>
    isObject(source) && typeof source.name === 'string' ? [source.name] : [],
  );
}
