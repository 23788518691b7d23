// When a step has no `successCriteria`, the spec leaves success undefined; this engine (like the
// reference tooling) treats any HTTP 2xx status as success. The step activity applies it, since
// only the activity sees the response; it lives here so the rule is defined, tested and
// documented in one place with the rest of the control-flow semantics. What "2xx" means is
// src/arazzo/http/semantics.ts (isSuccessStatus).
import { isSuccessStatus } from '../http/semantics.js';

/** True for an integral HTTP status code in 200..299. Anything else (3xx, 4xx, 5xx, NaN) fails. */
export function defaultSuccess(statusCode: number): boolean {
  return isSuccessStatus(statusCode);
}
