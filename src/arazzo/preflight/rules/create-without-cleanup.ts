// preflight-create-without-cleanup (warning): a step that creates something, followed by steps that
// can fail with nothing to undo it. A rotation that stops halfway then leaves a live credential no one
// knows about (the Prisma seed's new connection when the revoke fails).
//
// "Creates": a POST answering 200/201/2XX whose success schema has an id-like property (`id`,
// `…Id`, `…_id`) outside any array (an id inside a list is a search result, not a new resource).
// "Nothing to undo it": the step has no `x-compensation`, and some later step has no `goto` failure
// action (its own or the workflow's). `end` and `retry` actions do not count: neither undoes anything.
import { componentsOf, isObject, itemsOf, type JsonObject } from '../../validate/document-walk.js';
import { type PreflightContext, type StepTarget, stepLabel, type WorkflowFlow } from '../context.js';
import { declaredResponses, responseBody, successKeys } from '../responses.js';
import { listPointers } from '../schema-paths.js';

const ID_LIKE = /^id$|[a-z0-9]Id$|_id$|^ID$/;
const CREATE_VERBS = /^(create|add|new|post|insert|mint|generate|issue|register|make)(?=[A-Z_-]|$)/;

export function createsResource(target: StepTarget): boolean {
  const operation = target.operation;
  if (operation?.method !== 'post') return false;
  const declared = declaredResponses(operation);
  const keys = successKeys(declared).filter((key) => key === '200' || key === '201' || /^2XX$/i.test(key));
  return keys.some((key) => {
    const body = responseBody(declared, key);
    return (
      body.kind === 'schema' &&
      listPointers(body.schema).some(
        (listed) =>
          !listed.inArray && listed.segments.length <= 3 && ID_LIKE.test(listed.segments[listed.segments.length - 1]),
      )
    );
  });
}

/** `connection` for createConnection, `project key` for createProjectKey. */
export function resourceNoun(target: StepTarget): string {
  const id = target.operation?.operation.operationId;
  if (typeof id !== 'string') return 'resource';
  const rest = id.replace(CREATE_VERBS, '');
  const words = rest
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
  return words.length > 0 && rest !== id ? words.join(' ') : 'resource';
}

function isGoto(document: unknown, action: JsonObject): boolean {
  if (typeof action.reference === 'string') {
    const match = /^\$components\.failureActions\.(.+)$/.exec(action.reference);
    const group = componentsOf(document).failureActions;
    const component = match && isObject(group) ? group[match[1]] : undefined;
    return isObject(component) && component.type === 'goto';
  }
  return action.type === 'goto';
}

export function checkCreateWithoutCleanup(ctx: PreflightContext, target: StepTarget, flow: WorkflowFlow): void {
  const { stepNode } = target;
  if (stepNode.step['x-compensation'] !== undefined || !createsResource(target)) return;
  const workflow = flow.workflow;
  if (itemsOf(workflow.workflow, 'failureActions', workflow.pointer).some(({ item }) => isGoto(ctx.document, item)))
    return;
  const unguarded = flow.steps
    .filter((later) => later.stepNode.index > stepNode.index)
    .filter(
      (later) =>
        !itemsOf(later.stepNode.step, 'onFailure', later.stepNode.pointer).some(({ item }) =>
          isGoto(ctx.document, item),
        ),
    )
    .map((later) => `\`${stepLabel(later.stepNode)}\``);
  if (unguarded.length === 0) return;
  const which =
    unguarded.length === 1
      ? unguarded[0]
      : `${unguarded.slice(0, -1).join(', ')} or ${unguarded[unguarded.length - 1]}`;
  const self = `\`${stepLabel(stepNode)}\``;
  ctx.report({
    severity: 'warning',
    code: 'preflight-create-without-cleanup',
    message: `if ${which} fails, the ${resourceNoun(target)} created by ${self} is left behind`,
    hint: `declare \`x-compensation\` on ${self} (an idempotent delete of what it created) or an onFailure goto to a cleanup step`,
    pointer: stepNode.pointer,
  });
}
