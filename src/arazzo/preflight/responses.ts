// The responses an operation declares, and which of them a step can receive.
//
// Status keys: `204` declares 204; `2XX` declares 200..299; `default` declares every status the
// operation does not list, EXCEPT a success status when the operation lists its successes
// explicitly: an operation declaring `200` and `default` is saying "200 on success, anything on
// error", so a criterion expecting 204 is still reported.
import type { ResolvedOperation } from '../document/operation-index.js';
import { isSuccessStatus } from '../http/semantics.js';
import { isObject, type JsonObject } from '../validate/document-walk.js';
import { admittedStatuses } from './status-conditions.js';

export interface DeclaredResponses {
  /** The keys as written (`200`, `2XX`, `default`), in document order. */
  keys: string[];
  responses: Record<string, unknown>;
}

export function declaredResponses(operation: ResolvedOperation): DeclaredResponses {
  const responses = isObject(operation.operation.responses) ? operation.operation.responses : {};
  return { keys: Object.keys(responses), responses };
}

const isCode = (key: string) => /^[1-5]\d\d$/.test(key);
const isRange = (key: string) => /^[1-5]XX$/i.test(key);
const isSuccessKey = (key: string) => key[0] === '2' && (isCode(key) || isRange(key));

/** The key that describes `status`: its own code, else its range, else `default` (with the exception above). */
export function responseKeyFor(status: number, declared: DeclaredResponses): string | undefined {
  const exact = declared.keys.find((key) => isCode(key) && Number(key) === status);
  if (exact) return exact;
  const range = declared.keys.find((key) => isRange(key) && Number(key[0]) === Math.floor(status / 100));
  if (range) return range;
  if (!declared.keys.includes('default')) return undefined;
  const listsSuccesses = declared.keys.some(isSuccessKey);
  return isSuccessStatus(status) && listsSuccesses ? undefined : 'default';
}

/** The success keys (`2xx` codes and `2XX`), else `default`, else nothing. */
export function successKeys(declared: DeclaredResponses): string[] {
  const success = declared.keys.filter(isSuccessKey);
  if (success.length > 0) return success;
  return declared.keys.includes('default') ? ['default'] : [];
}

/** The keys of the responses a step receiving one of `statuses` can get; undefined = its successes. */
export function keysFor(declared: DeclaredResponses, statuses: readonly number[] | 'any' | undefined): string[] {
  if (statuses === 'any') return declared.keys;
  const keys = (statuses ?? []).map((status) => responseKeyFor(status, declared)).filter((key) => key !== undefined);
  // A status the operation does not declare is the status rule's finding; check against its successes.
  return keys.length > 0 ? [...new Set(keys)] : successKeys(declared);
}

/** `200`, `200 or 201`: how a list of response keys reads in a message. */
export function describeKeys(keys: readonly string[]): string {
  if (keys.length <= 1) return keys[0] ?? 'no';
  return `${keys.slice(0, -1).join(', ')} or ${keys[keys.length - 1]}`;
}

export type ResponseBody =
  | { key: string; kind: 'none' }
  /** A body whose shape is not described (no schema, or not JSON): nothing can be said about it. */
  | { key: string; kind: 'opaque' }
  | { key: string; kind: 'schema'; schema: unknown };

const JSON_MEDIA = /^application\/(?:[\w.+-]+\+)?json$|^\*\/\*$|^application\/\*$/i;

/** The schema of the JSON content of a Response or Request Body Object, preferring `mediaType`. */
export function jsonContentSchema(owner: unknown, mediaType?: string): { found: boolean; schema?: unknown } {
  if (!isObject(owner) || !isObject(owner.content)) return { found: false };
  const entries = Object.entries(owner.content as JsonObject);
  const bare = (type: string) => type.split(';')[0].trim().toLowerCase();
  const chosen =
    (mediaType ? entries.find(([type]) => bare(type) === bare(mediaType)) : undefined) ??
    entries.find(([type]) => JSON_MEDIA.test(bare(type)));
  if (!chosen) return { found: entries.length > 0 };
  const media = chosen[1];
  return { found: true, schema: isObject(media) ? media.schema : undefined };
}

// Statuses that never carry a body (RFC 9110): 1xx, 204, 205, 304.
const BODILESS = /^(1\d\d|1XX|204|205|304)$/i;

/**
 * The body a response key describes. A response without `content` is `none` only for a bodiless status;
 * otherwise the description just does not say (hand-written descriptions often omit it), so `opaque`.
 */
export function responseBody(declared: DeclaredResponses, key: string): ResponseBody {
  const response = declared.responses[key];
  const content = jsonContentSchema(response);
  if (!content.found) {
    const hasContent = isObject(response) && isObject(response.content) && Object.keys(response.content).length > 0;
    return hasContent || !BODILESS.test(key) ? { key, kind: 'opaque' } : { key, kind: 'none' };
  }
  return content.schema === undefined ? { key, kind: 'opaque' } : { key, kind: 'schema', schema: content.schema };
}

/**
 * The bodies a step's reference can read: for `success`, the statuses its successCriteria admit
 * (falling back to the declared successes when they admit none the operation declares).
 */
export function readableBodies(
  operation: ResolvedOperation,
  successCriteria: unknown,
  statuses: 'success' | readonly number[] | 'any',
): ResponseBody[] {
  const declared = declaredResponses(operation);
  const keys = keysFor(declared, statuses === 'success' ? admittedStatuses(successCriteria) : statuses);
  return keys.map((key) => responseBody(declared, key));
}
