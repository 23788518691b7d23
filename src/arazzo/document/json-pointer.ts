// RFC 6901 JSON Pointers: every finding names the offending value by pointer, and source maps are
// keyed by pointer, so building and reading them must agree on escaping.

export function escapePointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapePointerSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** `['workflows', 0, 'steps']` → `/workflows/0/steps`; the empty list is the whole document (`""`). */
export function toPointer(segments: ReadonlyArray<string | number>): string {
  return segments.map((segment) => '/' + escapePointerSegment(segment)).join('');
}

/** `/paths/~1pets/get` → `['paths', '/pets', 'get']`. Accepts a leading `#` (URI fragment form). */
export function parsePointer(pointer: string): string[] {
  const bare = pointer.startsWith('#') ? decodeURIComponent(pointer.slice(1)) : pointer;
  if (bare === '') return [];
  if (!bare.startsWith('/')) throw new Error(`JSON Pointer must start with "/": ${pointer}`);
  return bare.slice(1).split('/').map(unescapePointerSegment);
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
