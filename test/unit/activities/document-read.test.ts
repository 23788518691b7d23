// The size limit for documents and source descriptions, on real files and real HTTP over loopback, and
// the variables that set it (the worker's policy and the CLI read the same one).
import { linkSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyFromEnv } from '../../../src/activities/config.js';
import {
  DEFAULT_MAX_DOCUMENT_BYTES,
  DocumentTooLargeError,
  fetchLimited,
  readFileLimited,
  stampFile,
} from '../../../src/activities/document-read.js';

const dir = mkdtempSync(join(tmpdir(), 'arazzo-document-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readFileLimited', () => {
  it('reads a file up to the limit, and refuses a larger one naming it, its size and the limit', async () => {
    const file = join(dir, 'doc.yaml');
    writeFileSync(file, 'é'.repeat(500)); // 1000 bytes
    expect(await readFileLimited(file, 1000)).toBe('é'.repeat(500));
    const refused = await readFileLimited(file, 999, 'rotations/doc.yaml').catch((e) => e);
    expect(refused).toBeInstanceOf(DocumentTooLargeError);
    expect(refused.message).toBe(
      'rotations/doc.yaml is 1000 bytes, over the limit of 999 bytes for documents and source descriptions (ARAZZO_MAX_DOCUMENT_BYTES)',
    );
    writeFileSync(file, 'x'.repeat(6 * 1024 * 1024));
    expect((await readFileLimited(file, DEFAULT_MAX_DOCUMENT_BYTES).catch((e) => e)).message).toBe(
      `${file} is 6.0 MiB (6291456 bytes), over the limit of 5.0 MiB (5242880 bytes) for documents and source descriptions (ARAZZO_MAX_DOCUMENT_BYTES)`,
    );
  });
});

describe('fetchLimited', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const body = 'x'.repeat(2000);
      if (req.url === '/announced') return void res.end(body); // with Content-Length
      if (req.url === '/chunked') {
        // No Content-Length: the body is cut off once it passes the limit.
        res.write(body.slice(0, 1000));
        setTimeout(() => res.end(body.slice(1000)), 20);
        return;
      }
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => server.close());

  it('reads a body up to the limit', async () => {
    expect(await fetchLimited(`${base}/announced`, 2000)).toHaveLength(2000);
    expect(await fetchLimited(`${base}/chunked`, 2000)).toHaveLength(2000);
  });

  it('refuses a body over the limit, by its Content-Length or as it arrives', async () => {
    const announced = await fetchLimited(`${base}/announced`, 1500).catch((e) => e);
    expect(announced).toBeInstanceOf(DocumentTooLargeError);
    expect(announced.message).toMatch(
      /\/announced is 2\.0 KiB \(2000 bytes\), over the limit of 1\.5 KiB \(1500 bytes\)/,
    );
    const chunked = await fetchLimited(`${base}/chunked`, 1500).catch((e) => e);
    expect(chunked).toBeInstanceOf(DocumentTooLargeError);
    expect(chunked.message).toMatch(
      /\/chunked is more than 1\.5 KiB \(1500 bytes\), over the limit of 1\.5 KiB \(1500 bytes\)/,
    );
    await expect(fetchLimited(`${base}/missing`, 1500)).rejects.toThrow(/^HTTP 404 for /);
  });
});

describe('the worker policy: size limits from ARAZZO_* variables', () => {
  it('defaults to 5 MiB per document and 16 MiB of cached texts; takes whole numbers of bytes; refuses anything else', () => {
    expect(policyFromEnv({})).toMatchObject({
      maxDocumentBytes: 5 * 1024 * 1024,
      documentCacheBytes: 16 * 1024 * 1024,
    });
    expect(
      policyFromEnv({ ARAZZO_MAX_DOCUMENT_BYTES: '1000000', ARAZZO_DOCUMENT_CACHE_BYTES: '2000000' }),
    ).toMatchObject({ maxDocumentBytes: 1_000_000, documentCacheBytes: 2_000_000 });
    for (const bad of ['5MB', '0', '-1', '1.5', 'lots']) {
      expect(() => policyFromEnv({ ARAZZO_MAX_DOCUMENT_BYTES: bad })).toThrow(
        `ARAZZO_MAX_DOCUMENT_BYTES must be a whole number of bytes greater than 0 (e.g. 5242880 for 5 MiB), not "${bad}"`,
      );
    }
    expect(() => policyFromEnv({ ARAZZO_DOCUMENT_CACHE_BYTES: 'x' })).toThrow(/^ARAZZO_DOCUMENT_CACHE_BYTES must be/);
  });
});

describe('stampFile', () => {
  const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

  it('is undefined while the file changed in the last two seconds (one clock tick can hide a rewrite)', async () => {
    const file = join(dir, 'fresh.yaml');
    writeFileSync(file, 'a: 1');
    expect(await stampFile(file)).toBeUndefined();
    // Setting the modification time back does not help: the change time moves with it.
    utimesSync(file, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    expect(await stampFile(file)).toBeUndefined();
    expect(await stampFile(file, 0)).toBeDefined();
    expect(await stampFile(dir, 0)).toBeUndefined(); // not a regular file
  });

  it('moves with every change a document can undergo: rewritten, same size; replaced; relinked', async () => {
    const file = join(dir, 'stamped.yaml');
    writeFileSync(file, 'a: 1');
    await settle();
    const first = await stampFile(file, 0);
    expect(await stampFile(file, 0)).toBe(first);
    writeFileSync(file, 'a: 2'); // same size
    const rewritten = await stampFile(file, 0);
    expect(rewritten).not.toBe(first);
    await settle();
    // Replaced by another file (an editor's save-and-rename): another inode.
    const other = join(dir, 'other.yaml');
    writeFileSync(other, 'a: 2');
    await settle();
    unlinkSync(file);
    linkSync(other, file);
    expect(await stampFile(file, 0)).not.toBe(rewritten);
    // A symbolic link is stamped as the file it leads to; pointed elsewhere, the stamp moves.
    const link = join(dir, 'link.yaml');
    symlinkSync(file, link);
    expect(await stampFile(link, 0)).toBe(await stampFile(file, 0));
    unlinkSync(link);
    const third = join(dir, 'third.yaml');
    writeFileSync(third, 'a: 2');
    symlinkSync(third, link);
    expect(await stampFile(link, 0)).not.toBe(await stampFile(file, 0));
  });
});
