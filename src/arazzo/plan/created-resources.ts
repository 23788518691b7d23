// When a create request (POST) was answered with a success status but the step still failed (the
// document expected 201 and got 200, its output pointers are wrong...), the server HAS created
// something. The run must not lose track of it: this finds, in the response body, the identifiers
// and the one-time secrets it carries, so the operator is told exactly what exists and how to clean up.
// Generic by design: it knows JSON shapes, not providers.
import { joinPointer } from '../document/json-pointer.js';
import { isSecretName } from '../secrets/mask.js';

export interface CreatedResource {
  /** JSON Pointer → identifier found there (`/data/id`, `/api_key_id`). */
  ids: Record<string, string>;
  /** JSON Pointer → secret value found there (kept only encrypted or delivered; never shown). */
  secrets: Record<string, string>;
}

const ID_KEY = /^(id|[a-z0-9]+_id|[a-z0-9]+Id)$/;
/** Wrapper objects APIs put a created resource in. */
const ENVELOPES = new Set(['data', 'item', 'result', 'resource']);

/** Ids at the top level or directly inside a conventional envelope; secrets anywhere (depth ≤ 4). */
export function findCreatedResource(body: unknown): CreatedResource {
  const found: CreatedResource = { ids: {}, secrets: {} };
  const visit = (value: unknown, pointer: string, depth: number, idLevel: boolean) => {
    if (depth > 4 || value === null || typeof value !== 'object' || Array.isArray(value)) return;
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const here = joinPointer(pointer, key);
      if (typeof child === 'string' && child.length > 0) {
        if (idLevel && ID_KEY.test(key)) found.ids[here] = child;
        else if (isSecretName(key)) found.secrets[here] = child;
      } else {
        visit(child, here, depth + 1, idLevel && depth === 0 && ENVELOPES.has(key));
      }
    }
  };
  visit(body, '', 0, true);
  return found;
}
