// Which workflow inputs a value depends on, and which of those the caller may leave out: a required
// request field fed only by an optional input (no `default`) is absent whenever the caller omits it.
import { getAtPointer } from '../document/json-pointer.js';
import { parseValueTemplate, templateExpressions } from '../expressions/index.js';
import { isObject, type JsonObject, type WorkflowNode } from '../validate/document-walk.js';

interface InputFacts {
  required: Set<string>;
  properties: Map<string, unknown>;
}

/** `required` and `properties` of a workflow's inputs schema, through local `$ref`s and `allOf`. */
function inputFacts(document: unknown, inputs: unknown): InputFacts {
  const facts: InputFacts = { required: new Set(), properties: new Map() };
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
    if (Array.isArray(schema.required)) {
      for (const name of schema.required) if (typeof name === 'string') facts.required.add(name);
    }
    if (isObject(schema.properties)) {
      for (const [name, property] of Object.entries(schema.properties as JsonObject)) {
        if (!facts.properties.has(name)) facts.properties.set(name, property);
      }
    }
    if (Array.isArray(schema.allOf)) for (const part of schema.allOf) visit(part, depth + 1);
  };
  visit(inputs, 0);
  return facts;
}

/** The optional inputs (declared, not required, no default) that `value` reads. */
export function optionalInputsIn(document: unknown, workflow: WorkflowNode, value: unknown): string[] {
  const parsed = parseValueTemplate(value);
  if (!parsed.ok) return [];
  const names = templateExpressions(parsed.value).flatMap(({ expression }) =>
    expression.kind === 'inputs' ? [expression.name] : [],
  );
  if (names.length === 0) return [];
  const facts = inputFacts(document, workflow.workflow.inputs);
  return [...new Set(names)].filter((name) => {
    const property = facts.properties.get(name);
    if (property === undefined || facts.required.has(name)) return false;
    return !(isObject(property) && 'default' in property);
  });
}
