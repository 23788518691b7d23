// preflight-one-time-value-lost (error): an output that captures a value an API shows once (a new
// key, secret, token, password, connection string) that nothing delivers: not a workflow output, not
// read by another step. When the run ends the value is gone, and the credential must be rotated again.
//
// Heuristic, on names only. The field read decides (the last segment of the body pointer, or the header
// name): it is a credential when its words include key, secret, token, password, ... or it is a
// connection string, and it is not an id (`api_key_id`). The output's name decides only when the field
// says nothing (the whole body, or a generic `value`/`data`): otherwise `oldKeyComment` reading
// `#/.../comment` would count as a key. When the response schema gives the field a type and it is not
// a string (`api_keys`, a list), it is not a secret value.
import { escapePointerToken, parsePointer } from '../../document/json-pointer.js';
import { parseRuntimeExpression } from '../../expressions/index.js';
import { isObject } from '../../validate/document-walk.js';
import { type PreflightContext, type StepTarget, stepLabel, type WorkflowFlow } from '../context.js';
import { readableBodies } from '../responses.js';
import { typesAt } from '../schema-paths.js';
import { isOutputRead } from '../step-outputs.js';

const CREDENTIAL_WORDS = new Set([
  'key',
  'secret',
  'token',
  'password',
  'passwd',
  'passphrase',
  'credential',
  'credentials',
]);

const GENERIC_FIELDS = new Set(['value', 'data', 'result', 'content', 'body']);

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

const isId = (name: string) => words(name).some((word) => word === 'id' || word === 'ids');
const isCredential = (name: string) =>
  words(name).some((word) => CREDENTIAL_WORDS.has(word)) ||
  name
    .toLowerCase()
    .replace(/[^a-z]/g, '')
    .includes('connectionstring');

export function checkOneTimeValueLost(ctx: PreflightContext, target: StepTarget, flow: WorkflowFlow): void {
  const { stepNode, operation } = target;
  if (!isObject(stepNode.step.outputs)) return;
  for (const [name, value] of Object.entries(stepNode.step.outputs)) {
    if (typeof value !== 'string') continue;
    const parsed = parseRuntimeExpression(value);
    if (!parsed.ok || parsed.value.kind !== 'response') continue;
    const expression = parsed.value;
    let segments: string[] = [];
    try {
      segments = expression.source === 'body' ? parsePointer(expression.pointer ?? '') : [];
    } catch {
      continue;
    }
    const field = expression.source === 'body' ? segments[segments.length - 1] : expression.name;
    const decisive = field && !GENERIC_FIELDS.has(field.toLowerCase()) ? field : name;
    if (isId(decisive) || !isCredential(decisive)) continue;
    if (operation && expression.source === 'body') {
      const roots = readableBodies(operation, stepNode.step.successCriteria, 'success').flatMap((body) =>
        body.kind === 'schema' ? [body.schema] : [],
      );
      const types = roots.length > 0 ? typesAt(roots, segments) : undefined;
      if (types && !types.has('string')) continue;
    }
    if (isOutputRead(flow, target, name)) continue;
    const reference = `$steps.${stepLabel(stepNode)}.outputs.${name}`;
    ctx.report({
      code: 'preflight-one-time-value-lost',
      message: `output \`${name}\` captures a one-time value (\`${value}\`) that is neither a workflow output nor read by another step: it is lost when the run ends`,
      hint: `return it in the workflow's outputs (e.g. \`${name}: ${reference}\`) or deliver it in a later step`,
      pointer: `${stepNode.pointer}/outputs/${escapePointerToken(name)}`,
    });
  }
}
