// `check` reads with the size limit the worker applies (ARAZZO_MAX_DOCUMENT_BYTES): a document or source
// description over it is a finding naming it, its size and the limit; a bad value is a usage error.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { checkDocument } from '../../../src/cli/commands/check.js';
import { UsageError } from '../../../src/cli/errors.js';
import type { Finding } from '../../../src/arazzo/model.js';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'arazzo-check-limits-'));
mkdirSync(join(work, 'rotations'));
mkdirSync(join(work, 'openapi'));
const rotation = readFileSync(join(repo, 'arazzo/rotations/prisma-rotate-connection.arazzo.yaml'), 'utf8');
const api = readFileSync(join(repo, 'arazzo/openapi/prisma-postgres-management-openapi.yml'), 'utf8');
writeFileSync(join(work, 'rotations/rotation.arazzo.yaml'), rotation);
writeFileSync(join(work, 'openapi/prisma-postgres-management-openapi.yml'), api);
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(() => {
  delete process.env.ARAZZO_MAX_DOCUMENT_BYTES;
});

const errorsOf = (findings: Finding[]) => findings.filter((f) => f.severity === 'error');

describe('check: document size limit', () => {
  it('a document over ARAZZO_MAX_DOCUMENT_BYTES is an error finding naming it, its size and the limit', async () => {
    const doc = join(work, 'rotations/rotation.arazzo.yaml');
    expect(errorsOf(await checkDocument(doc))).toHaveLength(0);
    const limit = Buffer.byteLength(rotation) - 1;
    process.env.ARAZZO_MAX_DOCUMENT_BYTES = String(limit);
    const errors = errorsOf(await checkDocument(doc));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ severity: 'error', code: 'document-unreadable' });
    expect(errors[0].message).toBe(
      `cannot read the Arazzo document "${doc}": it is ${(Buffer.byteLength(rotation) / 1024).toFixed(1)} KiB (${Buffer.byteLength(rotation)} bytes), over the limit of ${(limit / 1024).toFixed(1)} KiB (${limit} bytes) for documents and source descriptions (ARAZZO_MAX_DOCUMENT_BYTES)`,
    );
  });

  it('so is a source description over it', async () => {
    // The document is smaller than its OpenAPI description: a limit between the two.
    expect(Buffer.byteLength(rotation)).toBeLessThan(Buffer.byteLength(api) - 1);
    process.env.ARAZZO_MAX_DOCUMENT_BYTES = String(Buffer.byteLength(api) - 1);
    const findings = await checkDocument(join(work, 'rotations/rotation.arazzo.yaml'));
    const unreadable = findings.find((f) => f.code === 'source-unreadable');
    expect(unreadable?.message).toMatch(
      /^cannot read source description "\.\.\/openapi\/prisma-postgres-management-openapi\.yml".*: it is .* bytes\), over the limit of .*\(ARAZZO_MAX_DOCUMENT_BYTES\)$/,
    );
  });

  it('a value that is not a number of bytes is a usage error', async () => {
    process.env.ARAZZO_MAX_DOCUMENT_BYTES = '5MB';
    const err = await checkDocument(join(work, 'rotations/rotation.arazzo.yaml')).catch((e) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toMatch(/^ARAZZO_MAX_DOCUMENT_BYTES must be a whole number of bytes/);
  });
});
