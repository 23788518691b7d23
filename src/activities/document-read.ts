// Reading documents and source descriptions with a size limit, for the worker (loadPlan) and the CLI.
// Parsing is slow and an analysis takes many times its text in memory (a 20 MB document took a minute
// and left ~900 MB behind), so a text over the limit is refused before it is read whole: a file by its
// size, a URL by its Content-Length or, without one, when the body passes the limit.
import { open, stat } from 'node:fs/promises';

export const DEFAULT_MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;
export const MAX_DOCUMENT_BYTES_VARIABLE = 'ARAZZO_MAX_DOCUMENT_BYTES';

export class DocumentTooLargeError extends Error {
  constructor(
    /** The file or URL as the reader was given it. */
    readonly file: string,
    /** Its size, or undefined when only "more than the limit" is known (a body without Content-Length). */
    readonly size: number | undefined,
    readonly limit: number,
  ) {
    super(`${file} is ${tooLarge(size, limit)}`);
    this.name = 'DocumentTooLargeError';
  }

  /** The message without the file's name ("5.7 MiB (…), over the limit of …"). */
  get detail(): string {
    return tooLarge(this.size, this.limit);
  }
}

function tooLarge(size: number | undefined, limit: number): string {
  const actual = size === undefined ? `more than ${formatBytes(limit)}` : formatBytes(size);
  return `${actual}, over the limit of ${formatBytes(limit)} for documents and source descriptions (${MAX_DOCUMENT_BYTES_VARIABLE})`;
}

/** `5.0 MiB (5242880 bytes)`; small sizes as bytes only. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [unit, size] = bytes < 1024 * 1024 ? ['KiB', bytes / 1024] : ['MiB', bytes / (1024 * 1024)];
  return `${size.toFixed(1)} ${unit} (${bytes} bytes)`;
}

/** A positive whole number of bytes from `env[name]`, `fallback` when unset; anything else is an error. */
export function bytesFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value <= 0) {
    throw new Error(`${name} must be a whole number of bytes greater than 0 (e.g. 5242880 for 5 MiB), not "${raw}"`);
  }
  return value;
}

/** The size limit for documents and source descriptions: ARAZZO_MAX_DOCUMENT_BYTES, default 5 MiB. */
export function maxDocumentBytesFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return bytesFromEnv(env, MAX_DOCUMENT_BYTES_VARIABLE, DEFAULT_MAX_DOCUMENT_BYTES);
}

/** A file's text (UTF-8), refused when it is larger than `limit` bytes; `shownAs` names it in the error. */
export async function readFileLimited(path: string, limit: number, shownAs = path): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const stat = await handle.stat();
    if (stat.isFile() && stat.size > limit) throw new DocumentTooLargeError(shownAs, stat.size, limit);
    // Read at most limit + 1 bytes, so a file that grows meanwhile (or has no size) is caught too.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, limit + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > limit) throw new DocumentTooLargeError(shownAs, undefined, limit);
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** A URL's text, refused when it is (or announces to be) larger than `limit` bytes. */
export async function fetchLimited(url: string, limit: number, timeoutMs = 10_000): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`HTTP ${res.status} for ${url}`);
  }
  const announced = Number(res.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(announced) && announced > limit) {
    await res.body?.cancel();
    throw new DocumentTooLargeError(url, announced, limit);
  }
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw new DocumentTooLargeError(url, undefined, limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

/** How long a file must have been left alone before its stamp is trusted (see `stampFile`). */
export const SETTLED_MS = 2_000;

/**
 * A file's stamp for the document cache (document-cache.ts): its device, inode, size, and modification
 * and change times in nanoseconds. Undefined for what is not a regular file, and while the file changed
 * in the last two seconds: file times come from the kernel's coarse clock (milliseconds a tick), so two
 * writes of one size within a tick leave one stamp. Once a file has been left alone longer, it cannot be
 * rewritten without its change time moving (setting the modification time back moves the change time).
 * Git's index meets the same "racily clean" files and also falls back to reading them.
 */
export async function stampFile(path: string, settledMs = SETTLED_MS): Promise<string | undefined> {
  const s = await stat(path, { bigint: true });
  const now = Date.now();
  if (!s.isFile()) return undefined;
  const lastChangeMs = Math.max(Number(s.mtimeMs), Number(s.ctimeMs));
  if (now - lastChangeMs < settledMs) return undefined;
  return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}
