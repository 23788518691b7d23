import { isObject, stepsOf, workflowsOf } from '../document-walk.js';
import type { RuleContext } from '../rule-context.js';

/** workflowIds, stepIds within a workflow, and source description names must each be unique. */
export function checkUniqueNames(ctx: RuleContext): void {
  const reportDuplicates = (
    entries: Array<{ name: unknown; pointer: string }>,
    code: string,
    what: string,
    where: string,
  ) => {
    const first = new Map<string, string>();
    for (const { name, pointer } of entries) {
      if (typeof name !== 'string') continue;
      const earlier = first.get(name);
      if (earlier === undefined) {
        first.set(name, pointer);
        continue;
      }
      const line = ctx.sourceMap.values[earlier]?.line;
      ctx.report({
        code,
        message: `duplicate ${what} "${name}"${where}`,
        hint: `already used at ${earlier}${line ? ` (line ${line})` : ''}; ${what}s must be unique`,
        pointer,
      });
    }
  };

  const workflows = workflowsOf(ctx.document);
  reportDuplicates(
    workflows.map((node) => ({ name: node.workflowId, pointer: `${node.pointer}/workflowId` })),
    'duplicate-workflow-id',
    'workflowId',
    '',
  );
  for (const workflow of workflows) {
    reportDuplicates(
      stepsOf(workflow).map((node) => ({ name: node.stepId, pointer: `${node.pointer}/stepId` })),
      'duplicate-step-id',
      'stepId',
      workflow.workflowId ? ` in workflow "${workflow.workflowId}"` : '',
    );
  }
  const sources =
    isObject(ctx.document) && Array.isArray(ctx.document.sourceDescriptions) ? ctx.document.sourceDescriptions : [];
  reportDuplicates(
    sources.map((source: unknown, index: number) => ({
      name: isObject(source) ? source.name : undefined,
      pointer: `/sourceDescriptions/${index}/name`,
    })),
    'duplicate-source-name',
    'source description name',
    '',
  );
}
