// A channel step's message, from the plan and the context: the address with its `{name}` parameters
// filled from `in: path` parameters, headers from `in: header` parameters, the payload from the
// request body (payload and replacements, as for an HTTP body). Pure, so the workflow builds it and
// the message a run sent is its own record in history (the send activity's input).
import type { ExpressionContext } from '../expressions/index.js';
import { evaluateTemplate, parseValueTemplate, stringifyEmbedded } from '../expressions/index.js';
import type { PlanStep } from '../plan/types.js';
import { buildBody } from '../request/body.js';
import { RequestBuildError } from '../request/errors.js';
import { correlationValueOf } from './correlation.js';

export interface BuiltMessage {
  address: string;
  headers: Record<string, string>;
  payload: unknown;
  contentType?: string;
  /** The correlation id the message carries at its declared location (the Kafka record key). */
  key?: string;
}

function parameterValue(value: unknown, context: ExpressionContext, strict: boolean, what: string): unknown {
  const parsed = parseValueTemplate(value, { strict });
  if (!parsed.ok) {
    throw new RequestBuildError('expression-syntax', `${what}: ${parsed.error.message}`, {
      expression: typeof value === 'string' ? value : undefined,
      offset: parsed.error.offset,
    });
  }
  return evaluateTemplate(parsed.value, context);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : stringifyEmbedded(value);
}

/** The address of a channel step, `{name}` filled from its `in: path` parameters. */
export function messageAddress(step: PlanStep, context: ExpressionContext, strict: boolean): string {
  const channel = step.message!.channel;
  const values = new Map<string, string>();
  for (const p of step.parameters) {
    if (p.in !== 'path') continue;
    const v = parameterValue(p.value, context, strict, `parameter ${p.name}`);
    if (v !== undefined) values.set(p.name, text(v));
  }
  return channel.address.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const v = values.get(name);
    if (v === undefined) {
      throw new RequestBuildError(
        'missing-path-parameter',
        `channel address "${channel.address}" needs parameter "${name}", which has no value`,
      );
    }
    return v;
  });
}

export function buildMessage(step: PlanStep, context: ExpressionContext, strict: boolean): BuiltMessage {
  const channel = step.message!.channel;
  const headers: Record<string, string> = {};
  for (const p of step.parameters) {
    if (p.in !== 'header') continue;
    const v = parameterValue(p.value, context, strict, `header ${p.name}`);
    if (v !== undefined) headers[p.name] = text(v);
  }
  const contentType = step.requestBody?.contentType ?? channel.message?.contentType;
  const body = step.requestBody
    ? buildBody({ ...step.requestBody, contentType: contentType ?? 'application/json' }, context, { strict })
    : undefined;
  const payload = body?.bodyValue;
  const location = channel.message?.correlationIdLocation;
  const key = location ? correlationValueOf(location, { headers, payload }) : undefined;
  return { address: messageAddress(step, context, strict), headers, payload, contentType, key };
}
