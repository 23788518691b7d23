// A workflow's declared inputs as the CLI reads them: their schemas (`$ref` followed), which are
// required, and which are secrets, by schema (`format: password`, `writeOnly`, `x-secret`) or by name
// (src/arazzo/secrets/mask.ts). The CLI never prints a secret input's value.
import type { ArazzoDocument, Workflow } from '../arazzo/model.js';

export type InputSchema = Record<string, unknown>;

/** The workflow's input properties, with `$ref: '#/components/inputs/x'` followed. */
export function inputProperties(workflow: Workflow, document: ArazzoDocument): Record<string, InputSchema> {
  const schema = resolveRef(workflow.inputs as InputSchema | undefined, document);
  const properties = schema?.properties;
  if (!properties || typeof properties !== 'object') return {};
  const out: Record<string, InputSchema> = {};
  for (const [name, value] of Object.entries(properties as Record<string, InputSchema>)) {
    out[name] = resolveRef(value, document) ?? {};
  }
  return out;
}

export function requiredInputs(workflow: Workflow, document: ArazzoDocument): string[] {
  const schema = resolveRef(workflow.inputs as InputSchema | undefined, document);
  return Array.isArray(schema?.required) ? (schema.required as string[]) : [];
}

function resolveRef(schema: InputSchema | undefined, document: ArazzoDocument): InputSchema | undefined {
  const ref = schema?.$ref;
  if (typeof ref !== 'string') return schema;
  const match = /^#\/components\/inputs\/(.+)$/.exec(ref);
  const target = match ? (document.components?.inputs?.[match[1]] as InputSchema | undefined) : undefined;
  return target ?? schema;
}
