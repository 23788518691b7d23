// HTTP semantics the engine relies on, defined once: which methods may be sent again, which statuses
// are success, and which are worth retrying. Pure (importable from workflow code).

/** RFC 9110 §9.2.2: sending one of these twice has the effect of sending it once. */
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE']);

/**
 * Statuses that say "not now" rather than "no": rate limited (429), bad gateway (502), unavailable
 * (503), gateway timeout (504). An idempotent step meeting one that the document does not handle is
 * retried (honouring `Retry-After`) instead of failing the run.
 */
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** GET, HEAD, PUT, DELETE, OPTIONS and TRACE (any case); POST, PATCH and anything else are not. */
export function isIdempotentMethod(method: string): boolean {
  return IDEMPOTENT_METHODS.has(method.toUpperCase());
}

/** 429, 502, 503 and 504. */
export function isTransientStatus(status: number): boolean {
  return TRANSIENT_STATUSES.has(status);
}

/** An integral status in 200..299; anything else (1xx, 3xx, 4xx, 5xx, NaN, 200.5) is not success. */
export function isSuccessStatus(status: number): boolean {
  return Number.isInteger(status) && status >= 200 && status <= 299;
}
