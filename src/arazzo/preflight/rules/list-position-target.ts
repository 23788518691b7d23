// preflight-list-position-target (error): a DELETE whose target comes from a fixed position of a
// list (`$steps.list.outputs.oldId` where `oldId` is `$response.body#/data/0/id`, or directly
// `$steps.list.outputs.items#/0/id`). A list's order and content are not guaranteed: empty, several
// items, or (after a crash and rerun) the replacement itself. Deleting "whatever is first" revokes
// the wrong credential.
//
// Followed through step outputs that copy other step outputs (a few levels). Any index segment counts.
import { parsePointer } from '../../document/json-pointer.js';
import { parseValueTemplate, type RuntimeExpression, templateExpressions } from '../../expressions/index.js';
import { isObject } from '../../validate/document-walk.js';
import { effectiveParameters } from '../../validate/effective-parameters.js';
import { type PreflightContext, type StepTarget, stepLabel, type WorkflowFlow } from '../context.js';
import { isIndexSegment } from '../schema-paths.js';

interface Position {
  /** The chain as written, e.g. `$steps.listConnections.outputs.oldConnectionId` = `$response.body#/data/0/id`. */
  chain: string[];
  index: string;
}

function indexIn(pointer: string | undefined): string | undefined {
  if (!pointer) return undefined;
  try {
    return parsePointer(pointer).find(isIndexSegment);
  } catch {
    return undefined;
  }
}

function positionOf(
  expression: RuntimeExpression,
  text: string,
  flow: WorkflowFlow,
  depth: number,
): Position | undefined {
  if (depth > 8) return undefined;
  if (expression.kind === 'response' && expression.source === 'body') {
    const index = indexIn(expression.pointer);
    return index === undefined ? undefined : { chain: [text], index };
  }
  if (expression.kind !== 'steps') return undefined;
  const direct = indexIn(expression.pointer);
  if (direct !== undefined) return { chain: [text], index: direct };
  const source = flow.steps.find((step) => step.stepNode.stepId === expression.stepId);
  const outputs = source?.stepNode.step.outputs;
  if (!isObject(outputs) || typeof outputs[expression.name] !== 'string') return undefined;
  const parsed = parseValueTemplate(outputs[expression.name]);
  if (!parsed.ok || parsed.value.kind !== 'expression') return undefined;
  const inner = positionOf(parsed.value.expression, parsed.value.text, flow, depth + 1);
  return inner ? { chain: [text, ...inner.chain], index: inner.index } : undefined;
}

export function checkListPositionTarget(ctx: PreflightContext, target: StepTarget, flow: WorkflowFlow): void {
  const { stepNode, operation } = target;
  if (operation?.method !== 'delete') return;
  const values: Array<{ value: unknown; pointer: string }> = effectiveParameters(ctx.document, stepNode).map(
    (parameter) => ({ value: parameter.value, pointer: `${parameter.pointer}/value` }),
  );
  if (isObject(stepNode.step.requestBody) && stepNode.step.requestBody.payload !== undefined) {
    values.push({ value: stepNode.step.requestBody.payload, pointer: `${stepNode.pointer}/requestBody/payload` });
  }
  for (const { value, pointer } of values) {
    const parsed = parseValueTemplate(value);
    if (!parsed.ok) continue;
    for (const { expression, text } of templateExpressions(parsed.value)) {
      const position = positionOf(expression, text, flow, 0);
      if (!position) continue;
      ctx.report({
        code: 'preflight-list-position-target',
        message: `\`${stepLabel(stepNode)}\` deletes the item at position ${position.index} of a list (${position.chain
          .map((part) => `\`${part}\``)
          .join(' = ')})`,
        hint: "a list's order and content are not guaranteed (empty, several items, or the replacement after a rerun): take the id from an input or from the step that created it, and read it back before deleting",
        pointer,
      });
    }
  }
}
