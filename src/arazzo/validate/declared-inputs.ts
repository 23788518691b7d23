import { getAtPointer } from '../document/json-pointer.js';
import { isObject } from './document-walk.js';

/**
 * The input names a workflow's `inputs` schema declares (its `properties`, following local `$ref`s
 * and `allOf`). `undefined` when the schema does not say (no `properties` anywhere, or an open
 * `additionalProperties`), so that no "undeclared input" warning is raised on a guess.
 */
export function declaredInputNames(document: unknown, inputs: unknown): Set<string> | undefined {
  if (inputs === undefined) return new Set();
  const names = new Set<string>();
  let known = false;
  const visit = (schema: unknown, depth: number) => {
    if (!isObject(schema) || depth > 20) return;
    if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#')) {
      let target: unknown;
      try {
        target = getAtPointer(document, schema.$ref);
      } catch {
        target = undefined;
      }
      visit(target, depth + 1);
    }
    if (isObject(schema.properties)) {
      known = true;
      for (const name of Object.keys(schema.properties)) names.add(name);
    }
    if (Array.isArray(schema.allOf)) for (const part of schema.allOf) visit(part, depth + 1);
  };
  visit(inputs, 0);
  return known ? names : undefined;
}
