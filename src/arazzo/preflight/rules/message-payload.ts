// What a `send` step writes, against its AsyncAPI message (the consumer's contract):
// - preflight-message-payload-mismatch (error): the payload, where it is written as literals, breaks
//   the message's payload schema: a required property not set (a replacement target counts as setting
//   it), a literal of the wrong type or outside its enum/const, a property a closed schema
//   (`additionalProperties: false`) does not declare. The consumer rejects or misreads the message,
//   after earlier steps ran. Values written as expressions are not known before the run: not checked.
// - preflight-missing-message-header (error): a header the message's headers schema requires that no
//   `in: header` parameter supplies (the spec's example sends `orderCorrelationId` where the message
//   requires `orderRequestId`, which is also its correlation id: the reply could never be matched).
import { parsePointer } from '../../document/json-pointer.js';
import { parseValueTemplate } from '../../expressions/index.js';
import { isSelectorObject } from '../../selectors/selector-object.js';
import { closestName } from '../../validate/did-you-mean.js';
import { isObject, itemsOf } from '../../validate/document-walk.js';
import { effectiveParameters } from '../../validate/effective-parameters.js';
import type { PreflightContext, StepTarget } from '../context.js';
import { stepLabel } from '../context.js';
import { shapeOf } from './request-body.js';

export function checkMessagePayload(ctx: PreflightContext, target: StepTarget): void {
  const { channel, stepNode } = target;
  if (!channel?.message || stepNode.step.action !== 'send') return;
  const message = channel.message;
  checkHeaders(ctx, target);
  const body = stepNode.step.requestBody;
  if (message.payload === undefined || !isObject(body) || !('payload' in body)) return;
  const replaced = itemsOf(body, 'replacements', `${stepNode.pointer}/requestBody`).flatMap(({ item }) => {
    try {
      return typeof item.target === 'string' && item.target.startsWith('/') ? [parsePointer(item.target)] : [];
    } catch {
      return [];
    }
  });
  const problems: Array<{ at: string[]; message: string; hint?: string }> = [];
  walk(message.payload, body.payload, [], replaced, problems, 0);
  for (const problem of problems) {
    ctx.report({
      code: 'preflight-message-payload-mismatch',
      message: `the payload of step "${stepLabel(stepNode)}" does not match message "${message.name}" (channel "${channel.channel.key}"): ${problem.message}`,
      hint: problem.hint,
      pointer: [`${stepNode.pointer}/requestBody/payload`, ...problem.at].join('/'),
    });
  }
}

function checkHeaders(ctx: PreflightContext, { channel, stepNode }: StepTarget): void {
  const message = channel!.message!;
  if (!isObject(message.headers)) return;
  const shape = shapeOf(message.headers);
  const passed = effectiveParameters(ctx.document, stepNode).filter((parameter) => parameter.in === 'header');
  const undeclared = passed.filter((parameter) => !shape.properties.has(parameter.name)).map((p) => p.name);
  for (const name of shape.required) {
    if (passed.some((parameter) => parameter.name === name)) continue;
    const near = closestName(name, undeclared) ?? (undeclared.length === 1 ? undeclared[0] : undefined);
    ctx.report({
      code: 'preflight-missing-message-header',
      message: `step "${stepLabel(stepNode)}" does not send header "${name}", which message "${message.name}" requires${message.correlationIdLocation === `$message.header#/${name}` ? " (it is the message's correlation id)" : ''}`,
      hint: near
        ? `rename header parameter "${near}" to "${name}" (message "${message.name}" declares no "${near}")`
        : `add { name: ${name}, in: header, value: ... } to the step's parameters`,
      pointer: stepNode.step.parameters !== undefined ? `${stepNode.pointer}/parameters` : stepNode.pointer,
    });
  }
}

/** Whether a written value is known before the run (a literal), not an expression or a selector. */
function isLiteral(value: unknown): boolean {
  if (typeof value === 'string') {
    const parsed = parseValueTemplate(value, { strict: false });
    return parsed.ok && parsed.value.kind === 'literal';
  }
  return !isSelectorObject(value);
}

const typeOf = (value: unknown): string =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'array'
      : typeof value === 'number'
        ? Number.isInteger(value)
          ? 'integer'
          : 'number'
        : typeof value;

function typeMatches(declared: unknown, value: unknown): boolean {
  const types = Array.isArray(declared) ? declared : [declared];
  const actual = typeOf(value);
  return types.some((type) => type === actual || (type === 'number' && actual === 'integer'));
}

function walk(
  schema: unknown,
  value: unknown,
  at: string[],
  replaced: string[][],
  problems: Array<{ at: string[]; message: string; hint?: string }>,
  depth: number,
): void {
  if (!isObject(schema) || depth > 32 || !isLiteral(value)) return;
  const where = at.length ? `\`#/${at.join('/')}\`` : 'the payload';
  if (schema.type !== undefined && !typeMatches(schema.type, value)) {
    problems.push({
      at,
      message: `${where} is ${typeOf(value)} ${JSON.stringify(value)}, the schema says ${JSON.stringify(schema.type)}`,
    });
    return;
  }
  const allowed = Array.isArray(schema.enum) ? schema.enum : 'const' in schema ? [schema.const] : undefined;
  if (allowed && !allowed.some((candidate) => JSON.stringify(candidate) === JSON.stringify(value))) {
    problems.push({
      at,
      message: `${where} is ${JSON.stringify(value)}, not one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`,
    });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      walk(schema.items, item, [...at, String(index)], replaced, problems, depth + 1);
    });
    return;
  }
  if (!isObject(value)) return;
  const shape = shapeOf(schema);
  const written = Object.keys(value);
  const undeclared = written.filter((name) => shape.known && !shape.properties.has(name));
  for (const name of shape.required) {
    if (name in value) continue;
    const path = [...at, name];
    if (replaced.some((target) => path.every((token, index) => target[index] === token))) continue;
    const near = closestName(name, undeclared) ?? (undeclared.length === 1 ? undeclared[0] : undefined);
    problems.push({
      at,
      message: `required property "${name}" is not set${at.length ? ` in \`#/${at.join('/')}\`` : ''}`,
      hint: near ? `did you mean "${name}" instead of "${near}"?` : `set "${name}" in the payload`,
    });
  }
  for (const name of written) {
    const sub = shape.properties.get(name);
    if (sub !== undefined) walk(sub, value[name], [...at, name], replaced, problems, depth + 1);
    else if (shape.closed) {
      problems.push({
        at: [...at, name],
        message: `property "${name}" is not declared, and the schema allows no others`,
        hint: `declared: ${[...shape.properties.keys()].join(', ') || '(none)'}`,
      });
    }
  }
}
