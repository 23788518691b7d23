// AsyncAPI correlation ids: a message's correlationId `location` is a runtime expression into the
// message, `$message.header#/<pointer>` or `$message.payload#/<pointer>` (AsyncAPI 3.0, Correlation ID
// Object). Pure: the listener uses it to pick candidate messages, the workflow to check them again.
import { getByPointer, parseJsonPointer } from '../expressions/json-pointer.js';

export interface MessageView {
  headers: Record<string, unknown>;
  payload?: unknown;
}

/** The value at `location` in `message` as a string, or undefined when the message has none there. */
export function correlationValueOf(location: string, message: MessageView): string | undefined {
  const match = /^\$message\.(header|payload)(?:#(.*))?$/.exec(location.trim());
  if (!match) return undefined;
  const parsed = parseJsonPointer(match[2] ?? '');
  if (!parsed.ok) return undefined;
  let tokens = parsed.tokens;
  let root: unknown = message.payload;
  if (match[1] === 'header') {
    // Header names: exact first, then regardless of case (HTTP-style headers over some bindings).
    const [name, ...rest] = tokens;
    if (name === undefined) return undefined;
    const found =
      Object.keys(message.headers).find((h) => h === name) ??
      Object.keys(message.headers).find((h) => h.toLowerCase() === name.toLowerCase());
    if (found === undefined) return undefined;
    root = message.headers[found];
    tokens = rest;
  }
  const value = getByPointer(root, tokens);
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
