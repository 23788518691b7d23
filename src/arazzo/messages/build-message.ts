// A `send` step's message, built from the plan step and the run's context, before it is produced:
// headers from `in: header` parameters, the channel address with its `{name}` parameters filled from
// `in: path` parameters, the payload from `requestBody` (payload and replacements, as for an HTTP body),
// and the key: the message's correlation value when its AsyncAPI message declares a correlationId
// location and the built message has a value there. Pure; errors are RequestBuildErrors, like an HTTP
// request's, naming the parameter or expression that has no value.
import {
  type ExpressionContext,
  evaluateTemplate,
  parseValueTemplate,
  unresolvedExpressions,
} from '../expressions/index.js';
import type { PlanStep } from '../plan/types.js';
import { buildBody } from '../request/body.js';
import { RequestBuildError } from '../request/errors.js';
import { correlationValueOf } from './correlation.js';

export interface BuiltMessage {
  /** The channel address (for Kafka, the topic), its parameters filled. */
  address: string;
  headers: Record<string, string>;
  payload: unknown;
  /** The correlation value, when the message declares a location and has a value there. */
  key?: string;
}

export function buildMessage(step: PlanStep, context: ExpressionContext, strict: boolean): BuiltMessage {
  const channel = step.message?.channel;
  if (!channel) {
    throw new RequestBuildError('unsupported-body', `step "${step.stepId}" is not a channel step`);
  }
  const headers: Record<string, string> = {};
  const addressValues = new Map<string, { value: unknown; written: unknown; unresolved: string[] }>();
  for (const parameter of step.parameters) {
    if (parameter.in !== 'header' && parameter.in !== 'path') {
      throw new RequestBuildError(
        'missing-parameter-location',
        `parameter \`${parameter.name}\` of channel step "${step.stepId}" is \`in: ${parameter.in ?? '(none)'}\`; a message takes \`in: header\` (its headers) or \`in: path\` (its channel address parameters)`,
        { parameter: { name: parameter.name, in: parameter.in } },
      );
    }
    const parsed = parseValueTemplate(parameter.value, { strict });
    if (!parsed.ok) {
      throw new RequestBuildError(
        'expression-syntax',
        `parameter \`${parameter.name}\` (${parameter.in}): ${parsed.error.message} at offset ${parsed.error.offset}`,
        {
          parameter: { name: parameter.name, in: parameter.in },
          expression: typeof parameter.value === 'string' ? parameter.value : undefined,
          offset: parsed.error.offset,
        },
      );
    }
    const value = evaluateTemplate(parsed.value, context);
    if (parameter.in === 'path') {
      addressValues.set(parameter.name, {
        value,
        written: parameter.value,
        unresolved: value === undefined ? unresolvedExpressions(parsed.value, context) : [],
      });
      continue;
    }
    if (value === undefined) continue; // absent: not sent, as for an HTTP header
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (/[\r\n\0]/.test(text)) {
      throw new RequestBuildError(
        'invalid-header-value',
        `header \`${parameter.name}\` would contain a line break or NUL`,
        {
          parameter: { name: parameter.name, in: 'header' },
        },
      );
    }
    headers[parameter.name] = text;
  }
  const address = fillAddress(channel.address, addressValues);
  const body = step.requestBody
    ? buildBody(
        { ...step.requestBody, contentType: step.requestBody.contentType ?? channel.message?.contentType },
        context,
        { strict },
      )
    : undefined;
  const payload = body?.bodyValue;
  const location = channel.message?.correlationIdLocation;
  const key = location ? correlationValueOf(location, { headers, payload }) : undefined;
  return { address, headers, payload, ...(key !== undefined ? { key } : {}) };
}

function fillAddress(
  template: string,
  values: Map<string, { value: unknown; written: unknown; unresolved: string[] }>,
): string {
  return template.replace(/\{([^{}]+)\}/g, (_, name: string) => {
    const entry = values.get(name);
    if (!entry) {
      throw new RequestBuildError(
        'missing-path-parameter',
        `channel address \`${template}\` has parameter \`${name}\` and the step has no \`in: path\` parameter \`${name}\``,
        { parameter: { name, in: 'path' } },
      );
    }
    if (entry.value === undefined) {
      const expression = typeof entry.written === 'string' ? entry.written : entry.unresolved[0];
      throw new RequestBuildError(
        'missing-path-parameter',
        `channel address parameter \`${name}\` resolved to nothing${expression ? `: \`${expression}\`` : ''}`,
        { parameter: { name, in: 'path' }, expression },
      );
    }
    const text = typeof entry.value === 'string' ? entry.value : JSON.stringify(entry.value);
    return text;
  });
}
