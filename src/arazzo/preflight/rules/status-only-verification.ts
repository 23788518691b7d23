// preflight-status-only-verification (warning): a step that exists to verify something (a GET whose
// outputs nothing reads: it acts only through its success criteria) and reads a list, but checks only
// the status code. A list answers 200 whatever it holds: the Deepgram seed's `verifyReplacement`
// passes even when the new key is not in it.
//
// "A list": the success schema is an array or has an array-valued top-level property (through allOf).
// "Only the status": every successCriteria entry is a simple condition on `$statusCode` alone (no
// criteria at all counts too: the default is a 2xx check).
import { isObject, type JsonObject } from '../../validate/document-walk.js';
import { operationLabel, type PreflightContext, type StepTarget, stepLabel, type WorkflowFlow } from '../context.js';
import { readableBodies } from '../responses.js';
import { readsOnlyStatus, simpleConditionOf } from '../status-conditions.js';
import { isOutputRead } from '../step-outputs.js';

const isArraySchema = (schema: unknown): boolean =>
  isObject(schema) &&
  (schema.type === 'array' || (Array.isArray(schema.type) && schema.type.includes('array')) || isObject(schema.items));

function isListSchema(schema: unknown, depth = 0): boolean {
  if (!isObject(schema) || depth > 8) return false;
  if (isArraySchema(schema)) return true;
  if (isObject(schema.properties) && Object.values(schema.properties as JsonObject).some(isArraySchema)) return true;
  return Array.isArray(schema.allOf) && schema.allOf.some((part: unknown) => isListSchema(part, depth + 1));
}

export function checkStatusOnlyVerification(ctx: PreflightContext, target: StepTarget, flow: WorkflowFlow): void {
  const { stepNode, operation } = target;
  if (operation?.method !== 'get') return;
  const criteria = Array.isArray(stepNode.step.successCriteria) ? stepNode.step.successCriteria : [];
  if (
    !criteria.every((criterion) => {
      const condition = simpleConditionOf(criterion);
      return condition !== undefined && readsOnlyStatus(condition);
    })
  )
    return;
  const outputs = isObject(stepNode.step.outputs) ? Object.keys(stepNode.step.outputs) : [];
  if (outputs.some((name) => isOutputRead(flow, target, name))) return;
  const bodies = readableBodies(operation, stepNode.step.successCriteria, 'success');
  if (!bodies.some((body) => body.kind === 'schema' && isListSchema(body.schema))) return;
  ctx.report({
    severity: 'warning',
    code: 'preflight-status-only-verification',
    message: `\`${stepLabel(stepNode)}\` checks only the status code of ${operationLabel(operation)}, which returns a list: it passes whatever the list holds`,
    hint: 'check the contents (e.g. a jsonpath criterion selecting the expected item), or read the item back by id',
    pointer: Array.isArray(stepNode.step.successCriteria) ? `${stepNode.pointer}/successCriteria` : stepNode.pointer,
  });
}
