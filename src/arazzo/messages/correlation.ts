// The value at an AsyncAPI correlationId `location` of a message: `$message.header#/orderRequestId`,
// `$message.payload#/order/id` (AsyncAPI's runtime-expression form). The runtime keys a sent Kafka
// message by it and matches a received one to its run by it, so the same function serves both sides.
import { getByPointer, parseJsonPointer } from '../expressions/json-pointer.js';

export interface MessageParts {
  headers: Record<string, unknown>;
  payload?: unknown;
}

const LOCATION = /^\$message\.(header|payload)(?:#(.*))?$/;

/** Whether `location` is a correlationId location this engine reads. */
export function isCorrelationLocation(location: string): boolean {
  const match = LOCATION.exec(location);
  return match !== null && parseJsonPointer(match[2] ?? '').ok;
}

/**
 * The correlation value of `message` at `location`, as a string (numbers and booleans as written,
 * objects as JSON); undefined when the message has nothing there or the location is not one this
 * engine reads. A header name matches exactly first, then case-insensitively.
 */
export function correlationValueOf(location: string, message: MessageParts): string | undefined {
  const match = LOCATION.exec(location);
  if (!match) return undefined;
  const pointer = parseJsonPointer(match[2] ?? '');
  if (!pointer.ok) return undefined;
  let value: unknown;
  if (match[1] === 'header') {
    const [name, ...rest] = pointer.tokens;
    if (name === undefined) return undefined;
    const headers = message.headers ?? {};
    const key = Object.hasOwn(headers, name)
      ? name
      : Object.keys(headers).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
    if (key === undefined) return undefined;
    value = rest.length ? getByPointer(headers[key], rest) : headers[key];
  } else {
    value = getByPointer(message.payload, pointer.tokens);
  }
  return asText(value);
}

function asText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return JSON.stringify(value);
}
