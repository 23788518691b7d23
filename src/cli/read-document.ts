// The CLI is an edge: it reads documents (and the OpenAPI descriptions they name) from disk, or over
// HTTP when given a URL, and hands the text to the pure loader.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type DocumentSet, loadDocumentSet } from '../arazzo/document/index.js';

const isUrl = (s: string) => /^https?:\/\//i.test(s);

async function read(location: string): Promise<string> {
  if (isUrl(location)) {
    const res = await fetch(location, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return res.text();
  }
  const path = location.startsWith('file:') ? new URL(location).pathname : location;
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error('no such file');
    if (code === 'EISDIR') throw new Error('is a directory');
    throw err;
  }
}

/** Loads a document set; a path is made absolute first so source descriptions resolve next to it. */
export function loadFromDisk(document: string): Promise<DocumentSet> {
  return loadDocumentSet(isUrl(document) ? document : resolve(document), { read });
}
