// Which host a request goes to, and whether it is one a worker's settings name. One rule for every
// allow-list (ARAZZO_ALLOWED_SERVER_HOSTS, ARAZZO_ALLOWED_DOCUMENT_HOSTS) and every secret-to-host
// binding (ARAZZO_SECRET_HOSTS), so a host that one check lets through the other cannot refuse:
//
//  - case-insensitive: DNS names are (RFC 4343), and `new URL()` lower-cases them anyway, so an
//    operator writing `API.Example.com` means the host a URL spells `api.example.com`;
//  - IPv6 brackets do not matter: `[::1]` and `::1` are the same host (URLs always bracket it);
//  - exact: no wildcards (`*.example.com` matches only itself, which no URL has), no ports, no
//    trailing-dot folding. A pattern names one host.
//
// Pure (WHATWG `URL` only), importable from workflow code.

/** A host as it is compared: lower case, without IPv6 brackets. */
export function normalizeHost(host: string): string {
  return host.replace(/^\[|\]$/g, '').toLowerCase();
}

/** Whether `host` is the host `pattern` names (see the rule above). */
export function hostMatches(host: string, pattern: string): boolean {
  return normalizeHost(host) === normalizeHost(pattern);
}

/** The normalized host of an absolute URL, or undefined when `url` is not one. */
export function hostOf(url: string): string | undefined {
  try {
    return normalizeHost(new URL(url).hostname);
  } catch {
    return undefined;
  }
}

/** Whether the host of `url` is one of `allowed`; false for anything but an absolute URL with a host. */
export function urlHostAllowed(url: string, allowed: readonly string[]): boolean {
  const host = hostOf(url);
  return !!host && allowed.some((pattern) => hostMatches(host, pattern));
}
