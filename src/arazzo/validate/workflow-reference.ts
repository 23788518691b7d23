import { isAvailable } from '../document/document-set.js';
import { didYouMean } from './did-you-mean.js';
import { isObject, workflowsOf } from './document-walk.js';
import type { RuleContext } from './rule-context.js';

const QUALIFIED = /^\$sourceDescriptions\.([^.]+)\.(.+)$/;

/**
 * Checks that `workflowId` (local, or `$sourceDescriptions.<name>.<workflowId>` for a workflow of an
 * `arazzo` source) names an existing workflow; reports at `pointer` when it does not. A workflow in a
 * source that could not be loaded is given the benefit of the doubt (the source is already a finding).
 */
export function checkWorkflowReference(ctx: RuleContext, workflowId: string, pointer: string, what: string): void {
  const qualified = QUALIFIED.exec(workflowId);
  if (!qualified) {
    const local = [...new Set(workflowsOf(ctx.document).flatMap((node) => (node.workflowId ? [node.workflowId] : [])))];
    if (local.includes(workflowId)) return;
    ctx.report({
      code: 'unknown-workflow',
      message: `${what} "${workflowId}" is not a workflow of this document`,
      hint: didYouMean(workflowId, local, `known workflows: ${local.join(', ') || '(none)'}`),
      pointer,
    });
    return;
  }
  const [, sourceName, id] = qualified;
  const source = ctx.set.sources[sourceName];
  if (!source) {
    ctx.report({
      code: 'unknown-source',
      message: `${what} "${workflowId}" names source "${sourceName}", which is not a source description`,
      hint: didYouMean(sourceName, Object.keys(ctx.set.sources)),
      pointer,
    });
    return;
  }
  if (!isAvailable(source)) return;
  if (source.type !== 'arazzo') {
    ctx.report({
      code: 'source-not-arazzo',
      message: `${what} "${workflowId}" names source "${sourceName}", which is an ${source.type === 'asyncapi' ? 'AsyncAPI' : 'OpenAPI'} description, not an Arazzo document`,
      hint: 'workflows come from sources of type arazzo; call an operation with operationId instead',
      pointer,
    });
    return;
  }
  const ids = workflowsOf(source.document).flatMap((node) => (node.workflowId ? [node.workflowId] : []));
  if (ids.includes(id)) return;
  ctx.report({
    code: 'unknown-workflow',
    message: `${what} "${workflowId}": source "${sourceName}" has no workflow "${id}"`,
    hint: didYouMean(id, ids, `its workflows: ${ids.join(', ') || '(none)'}`),
    pointer,
  });
}

/** The workflow object a (possibly qualified) workflowId names, when it can be found. */
export function resolveWorkflow(ctx: RuleContext, workflowId: string): Record<string, any> | undefined {
  const qualified = QUALIFIED.exec(workflowId);
  const source = qualified ? ctx.set.sources[qualified[1]] : undefined;
  const document = qualified
    ? isAvailable(source) && source.type === 'arazzo'
      ? source.document
      : undefined
    : ctx.document;
  const id = qualified ? qualified[2] : workflowId;
  const found = workflowsOf(document).find((node) => node.workflowId === id);
  return found && isObject(found.workflow) ? found.workflow : undefined;
}
