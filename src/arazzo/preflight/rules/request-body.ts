// The request body against the operation's requestBody schema (the media type the step names, else
// its JSON content).
//
// - preflight-missing-request-body (error): the operation requires a body and the step sends none.
// - preflight-missing-required-property (error): a `required` property the payload does not set (at
//   any depth the payload writes as an object; a `replacements` target counts as setting it).
// - preflight-required-from-optional-input (warning): a required property fed only by an optional
//   workflow input: `name` is required by createConnection, the seed feeds it from an optional input.
// - preflight-undeclared-property (warning; error under `additionalProperties: false` or
//   `unevaluatedProperties: false`): a property the schema does not declare. The seed's `type: prisma`
//   is not part of the API: at best ignored, at worst a 422 after earlier steps ran.
//
// Schemas combine as JSON Schema says: `allOf` parts all apply (properties, required and closedness
// merge); `anyOf`/`oneOf` branches add the properties they declare but their `required` and closedness
// are not enforced (which branch applies is not known statically). A payload that is one whole
// expression (`payload: $inputs.body`) cannot be checked.
import { schemaPatternMatches } from '../../criteria/regex.js';
import { escapePointerToken, parsePointer } from '../../document/json-pointer.js';
import { parseValueTemplate } from '../../expressions/index.js';
import { didYouMean } from '../../validate/did-you-mean.js';
import { isObject, itemsOf, type JsonObject } from '../../validate/document-walk.js';
import { operationLabel, type PreflightContext, type StepTarget, type WorkflowFlow } from '../context.js';
import { jsonContentSchema } from '../responses.js';
import { optionalInputsIn } from '../workflow-inputs.js';

export interface Shape {
  properties: Map<string, unknown>;
  required: Set<string>;
  closed: boolean;
  patterns: string[];
  /** `additionalProperties` is a schema (or `true`): any name is allowed. */
  open: boolean;
  /** The schema names any property at all (otherwise there is nothing to compare names with). */
  known: boolean;
}

export function shapeOf(schema: unknown): Shape {
  const shape: Shape = {
    properties: new Map(),
    required: new Set(),
    closed: false,
    patterns: [],
    open: false,
    known: false,
  };
  const visit = (schemaPart: unknown, depth: number, enforced: boolean) => {
    if (!isObject(schemaPart) || depth > 32) return;
    if (isObject(schemaPart.properties)) {
      shape.known = true;
      for (const [name, sub] of Object.entries(schemaPart.properties as JsonObject)) {
        if (!shape.properties.has(name)) shape.properties.set(name, sub);
      }
    }
    if (isObject(schemaPart.patternProperties)) shape.patterns.push(...Object.keys(schemaPart.patternProperties));
    if (schemaPart.additionalProperties === true || isObject(schemaPart.additionalProperties)) shape.open = true;
    if (enforced) {
      if (Array.isArray(schemaPart.required))
        for (const name of schemaPart.required) if (typeof name === 'string') shape.required.add(name);
      if (schemaPart.additionalProperties === false || schemaPart.unevaluatedProperties === false) shape.closed = true;
    }
    if (Array.isArray(schemaPart.allOf)) for (const sub of schemaPart.allOf) visit(sub, depth + 1, enforced);
    for (const keyword of ['anyOf', 'oneOf']) {
      if (Array.isArray(schemaPart[keyword])) for (const sub of schemaPart[keyword]) visit(sub, depth + 1, false);
    }
  };
  visit(schema, 0, true);
  return shape;
}

/** On RE2; a pattern RE2 cannot express counts as matching (no finding is made from it). */
const matchesPattern = (patterns: string[], name: string) =>
  patterns.some((pattern) => schemaPatternMatches(pattern, name) ?? true);

interface Replacement {
  target: string[];
  value: unknown;
  pointer: string;
}

export function checkRequestBody(ctx: PreflightContext, target: StepTarget, flow: WorkflowFlow): void {
  const { stepNode, operation } = target;
  if (!operation) return;
  const label = operationLabel(operation);
  const declared = operation.operation.requestBody;
  const body = stepNode.step.requestBody;
  if (!isObject(body) || body.payload === undefined) {
    if (isObject(declared) && declared.required === true) {
      ctx.report({
        code: 'preflight-missing-request-body',
        message: `${label} requires a request body but the step sends none`,
        hint: 'add a requestBody with a payload',
        pointer: isObject(body) ? `${stepNode.pointer}/requestBody` : stepNode.pointer,
      });
    }
    return;
  }
  const content = jsonContentSchema(declared, typeof body.contentType === 'string' ? body.contentType : undefined);
  if (!isObject(content.schema)) return;
  let payload: unknown = body.payload;
  if (typeof payload === 'string') {
    // A JSON document written as a string (with `{$...}` inside) is checked as the object it describes.
    const parsed = parseValueTemplate(payload);
    if (parsed.ok && parsed.value.kind === 'expression') return;
    try {
      payload = JSON.parse(payload);
    } catch {
      return;
    }
  }
  const replacements: Replacement[] = itemsOf(body, 'replacements', `${stepNode.pointer}/requestBody`).flatMap(
    ({ item, pointer }) => {
      if (typeof item.target !== 'string') return [];
      try {
        return [{ target: parsePointer(item.target), value: item.value, pointer: `${pointer}/value` }];
      } catch {
        return [];
      }
    },
  );
  const walk = (value: unknown, schema: unknown, path: string[], pointer: string, depth: number) => {
    if (!isObject(value) || depth > 32) return;
    const shape = shapeOf(schema);
    for (const name of shape.required) {
      const at = [...path, name];
      const replaced = replacements.find((replacement) => sameSegments(replacement.target, at));
      const setByReplacement = replacements.some((replacement) => startsWith(replacement.target, at));
      if (!Object.hasOwn(value, name) && !setByReplacement) {
        ctx.report({
          code: 'preflight-missing-required-property',
          message: `\`${at.join('.')}\` is required by the ${label} request body but the payload does not set it`,
          hint: `add \`${name}\` to the payload`,
          pointer,
        });
        continue;
      }
      const feeder = replaced ?? { value: value[name], pointer: `${pointer}/${escapePointerToken(name)}` };
      const optional = optionalInputsIn(ctx.document, flow.workflow, feeder.value);
      if (optional.length > 0) {
        ctx.report({
          severity: 'warning',
          code: 'preflight-required-from-optional-input',
          message: `\`${at.join('.')}\` is required by ${label} but fed by optional input ${optional.map((input) => `\`${input}\``).join(', ')}`,
          hint: `make ${optional.join(', ')} required in the workflow inputs, or give ${optional.length > 1 ? 'them' : 'it'} a default`,
          pointer: feeder.pointer,
        });
      }
    }
    for (const [name, item] of Object.entries(value)) {
      const itemPointer = `${pointer}/${escapePointerToken(name)}`;
      const sub = shape.properties.get(name);
      if (sub !== undefined) {
        walk(item, sub, [...path, name], itemPointer, depth + 1);
        continue;
      }
      if (shape.open || matchesPattern(shape.patterns, name) || !(shape.known || shape.closed)) continue;
      const names = [...shape.properties.keys()];
      ctx.report({
        severity: shape.closed ? 'error' : 'warning',
        code: 'preflight-undeclared-property',
        message: `\`${[...path, name].join('.')}\` is not a property of the ${label} request body${
          names.length > 0 ? ` (it declares ${names.join(', ')})` : ''
        }`,
        hint: didYouMean(
          name,
          names,
          shape.closed
            ? 'the schema sets additionalProperties: false, so the API rejects it; remove it'
            : 'the API does not define it (at best it is ignored); remove it',
        ),
        pointer: itemPointer,
      });
    }
  };
  walk(payload, content.schema, [], `${stepNode.pointer}/requestBody/payload`, 0);
}

const sameSegments = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((segment, index) => segment === b[index]);
const startsWith = (whole: readonly string[], prefix: readonly string[]) =>
  whole.length >= prefix.length && prefix.every((segment, index) => whole[index] === segment);
