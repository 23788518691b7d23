import { getAtPointer } from '../document/json-pointer.js';
import { isObject, type JsonObject } from './document-walk.js';

/**
 * Calls `visit` with each schema object that makes up a workflow's `inputs` schema: the schema itself,
 * the targets of local `$ref`s and every `allOf` part (depth-limited, so a `$ref` cycle ends).
 */
export function visitInputSchemas(document: unknown, inputs: unknown, visit: (schema: JsonObject) => void): void {
  const walk = (schema: unknown, depth: number) => {
    if (!isObject(schema) || depth > 20) return;
    if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#')) {
      let target: unknown;
      try {
        target = getAtPointer(document, schema.$ref);
      } catch {
        target = undefined;
      }
      walk(target, depth + 1);
    }
    visit(schema);
    if (Array.isArray(schema.allOf)) for (const part of schema.allOf) walk(part, depth + 1);
  };
  walk(inputs, 0);
}

/**
 * The input names a workflow's `inputs` schema declares (its `properties`, following local `$ref`s
 * and `allOf`). `undefined` when the schema does not say (no `properties` anywhere, or an open
 * `additionalProperties`), so that no "undeclared input" warning is raised on a guess.
 */
export function declaredInputNames(document: unknown, inputs: unknown): Set<string> | undefined {
  if (inputs === undefined) return new Set();
  const names = new Set<string>();
  let known = false;
  visitInputSchemas(document, inputs, (schema) => {
    if (isObject(schema.properties)) {
      known = true;
      for (const name of Object.keys(schema.properties)) names.add(name);
    }
  });
  return known ? names : undefined;
}
