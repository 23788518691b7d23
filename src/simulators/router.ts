// Route patterns (`/v1/databases/:databaseId/connections`) compiled to matchers. Route keys
// (`POST /v1/databases/:databaseId/connections`) are also how tests name a route for fault injection.

export interface CompiledRoute<H> {
  method: string;
  pattern: string;
  /** `METHOD /pattern`, e.g. `DELETE /v1/connections/:id`. */
  key: string;
  handler: H;
  match(path: string): Record<string, string> | undefined;
}

export function compileRoute<H>(method: string, pattern: string, handler: H): CompiledRoute<H> {
  const segments = pattern.split('/');
  return {
    method: method.toUpperCase(),
    pattern,
    key: `${method.toUpperCase()} ${pattern}`,
    handler,
    match(path) {
      const parts = path.split('/');
      if (parts.length !== segments.length) return undefined;
      const params: Record<string, string> = {};
      for (let i = 0; i < segments.length; i++) {
        const seg = segments[i];
        if (seg.startsWith(':')) {
          if (parts[i] === '') return undefined;
          try {
            params[seg.slice(1)] = decodeURIComponent(parts[i]);
          } catch {
            return undefined;
          }
        } else if (seg !== parts[i]) {
          return undefined;
        }
      }
      return params;
    },
  };
}

/** A route key with parameter names erased, so `POST /v1/connections/:id/rotate` and `.../:connectionId/rotate` agree. */
export function routeShape(key: string): string {
  const [method, ...rest] = key.trim().split(/\s+/);
  return `${method.toUpperCase()} ${rest.join(' ').replace(/:[^/]+/g, ':')}`;
}
