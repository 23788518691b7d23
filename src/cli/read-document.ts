// The CLI is an edge: it reads documents (and the OpenAPI descriptions they name) from disk, or over
// HTTP when given a URL, and hands the text to the pure loader. Texts over the size limit the worker
// applies (ARAZZO_MAX_DOCUMENT_BYTES, default 5 MiB) are not read: each is a finding.
import { resolve } from 'node:path';
import { type DocumentSet, loadDocumentSet } from '../arazzo/document/index.js';
import {
  DocumentTooLargeError,
  fetchLimited,
  maxDocumentBytesFromEnv,
  readFileLimited,
} from '../activities/document-read.js';
import { parseAsyncApi } from '../asyncapi/parse-asyncapi.js';
import { UsageError } from './errors.js';

const isUrl = (s: string) => /^https?:\/\//i.test(s);

/** Thrown (and so reported as an unreadable source) for a URL the user did not allow to be read. */
export class RemoteReadRefused extends Error {}

async function read(location: string, maxBytes: number, allowRemote: boolean): Promise<string> {
  if (isUrl(location) && !allowRemote) {
    throw new RemoteReadRefused(
      'not read: it is remote, and only local files are read for a local document (pass --allow-remote to read it, or map it to a local copy)',
    );
  }
  try {
    if (isUrl(location)) return await fetchLimited(location, maxBytes);
    const path = location.startsWith('file:') ? new URL(location).pathname : location;
    return await readFileLimited(path, maxBytes);
  } catch (err) {
    if (err instanceof DocumentTooLargeError) throw new Error(`it is ${err.detail}`);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error('no such file');
    if (code === 'EISDIR') throw new Error('is a directory');
    throw err;
  }
}

export interface LoadFromDiskOptions {
  /**
   * Whether a URL may be read. Default: yes. `check` reads URLs only for a document given as a URL or
   * with --allow-remote: a local document's check never sends a request the user did not ask for.
   */
  allowRemote?: boolean;
}

/** Loads a document set; a path is made absolute first so source descriptions resolve next to it. */
export function loadFromDisk(document: string, options: LoadFromDiskOptions = {}): Promise<DocumentSet> {
  let maxBytes: number;
  try {
    maxBytes = maxDocumentBytesFromEnv();
  } catch (err) {
    return Promise.reject(new UsageError((err as Error).message));
  }
  const allowRemote = options.allowRemote ?? true;
  return loadDocumentSet(isUrl(document) ? document : resolve(document), {
    read: (url) => read(url, maxBytes, allowRemote),
    parseAsyncApi,
  });
}
