// JSON Pointer (RFC 6901): parsing, reading and writing. Reading only follows *own* properties so a
// pointer such as `/__proto__` or `/constructor` can never reach anything outside the data itself.
// Token escaping is document/json-pointer.ts's; this adds strict parsing with located errors.
import { toPointer, unescapePointerToken } from '../document/json-pointer.js';

export interface PointerError {
  message: string;
  /** 0-based offset into the pointer text. */
  offset: number;
  hint?: string;
}

export type PointerParse = { ok: true; tokens: string[] } | { ok: false; error: PointerError };

/** Splits a pointer into unescaped reference tokens; `''` is the whole document. */
export function parseJsonPointer(pointer: string): PointerParse {
  if (pointer === '') return { ok: true, tokens: [] };
  if (pointer[0] !== '/') {
    return {
      ok: false,
      error: {
        message: 'a JSON Pointer must be empty or start with `/`',
        offset: 0,
        hint: `did you mean \`/${pointer}\`?`,
      },
    };
  }
  // The first `~` not starting `~0` or `~1` (the `0`/`1` of an escape is never a `~`, so no escape hides one).
  const badEscape = pointer.search(/~(?![01])/);
  if (badEscape >= 0) {
    return {
      ok: false,
      error: {
        message: '`~` in a JSON Pointer must be followed by `0` (for `~`) or `1` (for `/`)',
        offset: badEscape,
        hint: 'write `~0` for a literal `~` and `~1` for a literal `/`',
      },
    };
  }
  return { ok: true, tokens: pointer.slice(1).split('/').map(unescapePointerToken) };
}

/** RFC 6901 array index: `0` or a number without leading zeros. */
function arrayIndex(token: string): number | undefined {
  if (token === '0') return 0;
  if (token.length === 0 || token.length > 15 || token[0] < '1' || token[0] > '9') return undefined;
  for (const c of token) if (c < '0' || c > '9') return undefined;
  return Number(token);
}

/** Reads the value at `tokens`; anything missing (or not traversable) is `undefined`, never a throw. */
export function getByPointer(value: unknown, tokens: readonly string[]): unknown {
  let current = value;
  for (const token of tokens) {
    if (Array.isArray(current)) {
      const index = arrayIndex(token);
      if (index === undefined || index >= current.length) return undefined;
      current = current[index];
    } else if (current !== null && typeof current === 'object') {
      if (!Object.hasOwn(current, token)) return undefined;
      current = (current as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return current;
}

export class PointerWriteError extends Error {
  constructor(
    message: string,
    readonly pointer: string,
  ) {
    super(message);
    this.name = 'PointerWriteError';
  }
}

/**
 * Sets `newValue` at `tokens` inside `root` (mutating it) and returns the new root. Missing
 * intermediate containers are created as objects (a Payload Replacement target names where a value
 * goes; we do not guess that a numeric token wanted an array). `-` appends to an array.
 */
export function setByPointer(root: unknown, tokens: readonly string[], newValue: unknown): unknown {
  if (tokens.length === 0) return newValue;
  let base: unknown = root;
  if (base === null || typeof base !== 'object') base = {};
  let current = base as Record<string, unknown> | unknown[];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const last = i === tokens.length - 1;
    if (Array.isArray(current)) {
      const index = token === '-' ? current.length : arrayIndex(token);
      if (index === undefined || index > current.length) {
        throw new PointerWriteError(
          `cannot write array index \`${token}\` (array has ${current.length} items)`,
          toPointer(tokens.slice(0, i + 1)),
        );
      }
      if (last) {
        current[index] = newValue;
        return base;
      }
      const next = current[index];
      if (next === null || typeof next !== 'object') current[index] = {};
      current = current[index] as Record<string, unknown> | unknown[];
    } else {
      if (token === '__proto__') {
        throw new PointerWriteError('refusing to write `__proto__`', toPointer(tokens.slice(0, i + 1)));
      }
      if (last) {
        current[token] = newValue;
        return base;
      }
      const next = Object.hasOwn(current, token) ? current[token] : undefined;
      if (next === null || typeof next !== 'object') current[token] = {};
      current = current[token] as Record<string, unknown> | unknown[];
    }
  }
  return base;
}
