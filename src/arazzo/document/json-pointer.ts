// RFC 6901 JSON Pointers: every finding names the offending value by pointer, and source maps are
// keyed by pointer, so building and reading them must agree on escaping. This is the one definition
// of the token escaping (`~` ↔ `~0`, `/` ↔ `~1`) for the whole engine; the runtime-expression
// parser (expressions/json-pointer.ts) adds strict parsing with located errors on top of it.

/** Escapes one reference token: `~` → `~0`, then `/` → `~1` (`~` first, so no `~1` is escaped twice). */
export function escapePointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Unescapes one reference token: `~1` → `/`, then `~0` → `~` (in that order, RFC 6901 §4: `~01` is `~1`). */
export function unescapePointerToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** `['workflows', 0, 'steps']` → `/workflows/0/steps`; the empty list is the whole document (`""`). */
export function toPointer(tokens: ReadonlyArray<string | number>): string {
  return tokens.map((token) => '/' + escapePointerToken(token)).join('');
}

/** Appends reference tokens to a base pointer (`''` is the whole document): `joinPointer('/a', 'b/c')` → `/a/b~1c`. */
export function joinPointer(base: string, ...tokens: Array<string | number>): string {
  return base + toPointer(tokens);
}

/** `/paths/~1pets/get` → `['paths', '/pets', 'get']`. Accepts a leading `#` (URI fragment form). */
export function parsePointer(pointer: string): string[] {
  const bare = pointer.startsWith('#') ? decodeURIComponent(pointer.slice(1)) : pointer;
  if (bare === '') return [];
  if (!bare.startsWith('/')) throw new Error(`JSON Pointer must start with "/": ${pointer}`);
  return bare.slice(1).split('/').map(unescapePointerToken);
}

/** The value at `pointer` in `root`, or `undefined` when any segment is missing. */
export function getAtPointer(root: unknown, pointer: string | string[]): unknown {
  const segments = typeof pointer === 'string' ? parsePointer(pointer) : pointer;
  let current: unknown = root;
  for (const segment of segments) {
    if (Array.isArray(current)) {
      if (!/^(0|[1-9]\d*)$/.test(segment)) return undefined;
      current = current[Number(segment)];
    } else if (current !== null && typeof current === 'object' && Object.hasOwn(current, segment)) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return undefined;
    }
  }
  return current;
}
