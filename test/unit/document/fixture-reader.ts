// Test-side I/O for the (pure) document loader: the loader is handed these readers.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type DocumentSet, loadDocumentSet } from '../../../src/arazzo/document/index.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
export const EXAMPLES = `${FIXTURES}arazzo-spec/examples/`;
export const SCHEMA_TESTS = `${FIXTURES}arazzo-spec/schema-tests/`;
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** Reads local paths and `file://` URLs; anything else fails like a machine with no network. */
export async function readLocal(url: string): Promise<string> {
  if (/^https?:/.test(url)) throw new Error(`no network: ${url}`);
  return readFile(url.startsWith('file:') ? fileURLToPath(url) : url, 'utf8');
}

/** Serves `files` from memory (keyed by path), everything else from disk. */
export function readerWith(files: Record<string, string>): (url: string) => Promise<string> {
  return async (url) => (url in files ? files[url] : readLocal(url));
}

/** Loads an in-memory Arazzo document placed in test/fixtures/ (so `./pets.openapi.yaml` resolves). */
export function loadInline(text: string, sourceMap?: Record<string, string>): Promise<DocumentSet> {
  const url = `${FIXTURES}inline.arazzo.yaml`;
  return loadDocumentSet(url, { read: readerWith({ [url]: text }), sourceMap });
}
