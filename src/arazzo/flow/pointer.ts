// JSON Pointer (RFC 6901) building. Names in the document are user text, so every token is escaped;
// that keeps every pointer we report resolvable against the document.

/** Escapes one reference token: `~` → `~0`, `/` → `~1` (in that order, as RFC 6901 §4 requires). */
export function escapePointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Joins reference tokens onto a base pointer (`''` is the whole document). */
export function joinPointer(base: string, ...tokens: Array<string | number>): string {
  return base + tokens.map((t) => `/${escapePointerToken(t)}`).join('');
}
