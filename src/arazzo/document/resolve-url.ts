// Source description URLs are resolved against the URL of the document that names them. Documents
// are addressed by whatever the caller's reader understands: a plain file path (relative or
// absolute), a `file://` URL or an `https://` URL. The resolved form keeps the form of the base, so a
// reader that was handed paths keeps getting paths.

const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;
const WINDOWS_DRIVE = /^[a-zA-Z]:[\\/]/;

function hasScheme(url: string): boolean {
  return SCHEME.test(url) && !WINDOWS_DRIVE.test(url);
}

export function resolveUrl(reference: string, base: string): string {
  if (hasScheme(reference)) return reference;
  if (hasScheme(base)) return new URL(reference, base).href;
  if (reference.startsWith('/')) return normalizePath(reference);
  const slash = base.lastIndexOf('/');
  const directory = slash >= 0 ? base.slice(0, slash + 1) : '';
  return normalizePath(directory + reference);
}

/** Removes `.` and resolvable `..` segments; `..` above a relative path's start is kept. */
function normalizePath(path: string): string {
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (segment === '..' && absolute) continue;
    else out.push(segment);
  }
  return (absolute ? '/' : '') + out.join('/');
}

/**
 * The base URI of an Arazzo document (1.1 "Establishing the Base URI"): its `$self` when present,
 * itself resolved against the retrieval URI when it is relative; otherwise the retrieval URI. A
 * `$self` that is not a string (the schema reports it) is ignored.
 */
export function baseUriOf(document: unknown, retrievalUrl: string): string {
  const self =
    document !== null && typeof document === 'object' && !Array.isArray(document)
      ? (document as Record<string, unknown>).$self
      : undefined;
  return typeof self === 'string' && self !== '' ? resolveUrl(self, retrievalUrl) : retrievalUrl;
}
