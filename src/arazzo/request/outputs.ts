// Step and workflow `outputs`: a map of names to runtime expressions, evaluated after the step.
import { type ExpressionContext, evaluateTemplate, parseValueTemplate } from '../expressions/index.js';
import { RequestBuildError } from './errors.js';

export interface OutputsResult {
  values: Record<string, unknown>;
  /** Output names whose expression resolved to nothing (they are absent from `values`). */
  unresolved: string[];
}

export function evaluateOutputsDetailed(
  outputs: Record<string, string> | undefined,
  context: ExpressionContext,
): OutputsResult {
  const values: Record<string, unknown> = {};
  const unresolved: string[] = [];
  for (const [name, text] of Object.entries(outputs ?? {})) {
    const parsed = parseValueTemplate(text);
    if (!parsed.ok) {
      throw new RequestBuildError(
        'expression-syntax',
        `output \`${name}\`: ${parsed.error.message} at offset ${parsed.error.offset}`,
        {
          expression: text,
          offset: parsed.error.offset,
        },
      );
    }
    const value = evaluateTemplate(parsed.value, context);
    if (value === undefined) unresolved.push(name);
    else Object.defineProperty(values, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return { values, unresolved };
}

/** Evaluates outputs; an output resolving to nothing is absent from the result (see `evaluateOutputsDetailed`). */
export function evaluateOutputs(
  outputs: Record<string, string> | undefined,
  context: ExpressionContext,
): Record<string, unknown> {
  return evaluateOutputsDetailed(outputs, context).values;
}
