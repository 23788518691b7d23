import { workflowsOf } from '../document-walk.js';
import type { RuleContext } from '../rule-context.js';
import { checkWorkflowReference } from '../workflow-reference.js';

/** `dependsOn` names existing workflows, and the local dependency graph has no cycle. */
export function checkDependsOn(ctx: RuleContext): void {
  const workflows = workflowsOf(ctx.document);
  const edges = new Map<string, Array<{ target: string; pointer: string }>>();
  for (const workflow of workflows) {
    const dependsOn = workflow.workflow.dependsOn;
    if (!Array.isArray(dependsOn)) continue;
    dependsOn.forEach((target, index) => {
      if (typeof target !== 'string') return;
      const pointer = `${workflow.pointer}/dependsOn/${index}`;
      checkWorkflowReference(ctx, target, pointer, 'dependsOn');
      if (workflow.workflowId) {
        edges.set(workflow.workflowId, [...(edges.get(workflow.workflowId) ?? []), { target, pointer }]);
      }
    });
  }

  // Depth-first search; a back edge closes a cycle, reported once at the edge that closes it.
  const state = new Map<string, 'active' | 'done'>();
  const path: string[] = [];
  const visit = (id: string) => {
    state.set(id, 'active');
    path.push(id);
    for (const { target, pointer } of edges.get(id) ?? []) {
      if (state.get(target) === 'active') {
        const cycle = [...path.slice(path.indexOf(target)), target];
        ctx.report({
          code: 'dependency-cycle',
          message: `dependsOn forms a cycle: ${cycle.join(' → ')}`,
          hint: 'a workflow cannot (indirectly) depend on itself; remove one of these dependsOn entries',
          pointer,
        });
      } else if (!state.has(target) && edges.has(target)) {
        visit(target);
      }
    }
    path.pop();
    state.set(id, 'done');
  };
  for (const workflow of workflows)
    if (workflow.workflowId && !state.has(workflow.workflowId)) visit(workflow.workflowId);
}
