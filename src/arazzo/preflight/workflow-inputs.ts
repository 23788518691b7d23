// Which workflow inputs a value depends on, and which of those the caller may leave out: a required
// request field fed only by an optional input (no `default`) is absent whenever the caller omits it.
import { parseValueTemplate, templateExpressions } from '../expressions/index.js';
import { visitInputSchemas } from '../validate/declared-inputs.js';
import { isObject, type JsonObject, type WorkflowNode } from '../validate/document-walk.js';

interface InputFacts {
  required: Set<string>;
  properties: Map<string, unknown>;
}

/** `required` and `properties` of a workflow's inputs schema, through local `$ref`s and `allOf`. */
function inputFacts(document: unknown, inputs: unknown): InputFacts {
  const facts: InputFacts = { required: new Set(), properties: new Map() };
  visitInputSchemas(document, inputs, (schema) => {
    if (Array.isArray(schema.required)) {
      for (const name of schema.required) if (typeof name === 'string') facts.required.add(name);
    }
    if (isObject(schema.properties)) {
      for (const [name, property] of Object.entries(schema.properties as JsonObject)) {
        if (!facts.properties.has(name)) facts.properties.set(name, property);
      }
    }
  });
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
