import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findOperation, isAvailable, loadDocumentSet, resolveUrl } from '../../../src/arazzo/document/index.js';
import { FIXTURES, loadInline, readLocal } from './fixture-reader.js';
import { validateDocumentSet } from '../../../src/arazzo/validate/index.js';

const header = (sources: string) =>
  `arazzo: 1.0.1\ninfo:\n  title: t\n  version: 1.0.0\nsourceDescriptions:\n${sources}workflows:\n  - workflowId: w\n    steps:\n      - stepId: s\n        operationId: listOwners\n`;
const petsAndOwners = header(
  '  - name: pets\n    url: ./pets.openapi.yaml\n    type: openapi\n  - name: owners\n    url: owners.openapi.json\n',
);

describe('resolveUrl', () => {
  it('resolves relative to the document, keeping the form of the base', () => {
    expect(resolveUrl('../openapi/x.yml', 'arazzo/seeds/a.arazzo.yaml')).toBe('arazzo/openapi/x.yml');
    expect(resolveUrl('./x.yml', '/repo/arazzo/seeds/a.yaml')).toBe('/repo/arazzo/seeds/x.yml');
    expect(resolveUrl('../../../x.yml', '/a/b.yaml')).toBe('/x.yml');
    expect(resolveUrl('../x.yml', 'file:///repo/seeds/a.yaml')).toBe('file:///repo/x.yml');
    expect(resolveUrl('x.yml', 'https://example.test/specs/a.yaml')).toBe('https://example.test/specs/x.yml');
    expect(resolveUrl('https://other.test/x.yml', '/repo/a.yaml')).toBe('https://other.test/x.yml');
    expect(resolveUrl('/abs/x.yml', 'rel/a.yaml')).toBe('/abs/x.yml');
  });
});

describe('loadDocumentSet', () => {
  it('loads the entry and every source (YAML and JSON OpenAPI), with $refs resolved through the reader', async () => {
    const set = await loadInline(petsAndOwners);
    expect(set.findings).toEqual([]);
    expect(set.entry.document?.workflows[0].workflowId).toBe('w');
    const pets = set.sources.pets;
    expect(isAvailable(pets) && pets.type).toBe('openapi');
    if (!isAvailable(pets) || pets.type !== 'openapi') throw new Error('unreachable');
    expect(pets.url).toBe(`${FIXTURES}pets.openapi.yaml`);
    // The external $ref (another file, read through the injected reader) is resolved...
    const schema = pets.document.paths['/pets'].post.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(['id', 'name']);
    // ...a recursive one is left as a $ref so the result stays serialisable.
    expect(() => JSON.stringify(pets.document)).not.toThrow();
    const tree = pets.document.paths['/pets'].get.responses['200'].content['application/json'].schema.items;
    expect(tree.$ref).toBe('./pets.schemas.yaml#/FamilyTree');
    // The source map is of the file as written.
    expect(pets.sourceMap.values['/paths/~1pets/get/operationId']).toEqual({ line: 12, column: 20 });
    expect(set.sources.owners).toMatchObject({ type: 'openapi', url: `${FIXTURES}owners.openapi.json` });
  });

  it('reads file:// URLs', async () => {
    const entry = pathToFileURL(`${FIXTURES}shared-workflows.arazzo.yaml`).href;
    const set = await loadDocumentSet(entry, { read: readLocal });
    expect(set.findings).toEqual([]);
    expect(set.sources.pets).toMatchObject({
      type: 'openapi',
      url: pathToFileURL(`${FIXTURES}pets.openapi.yaml`).href,
    });
  });

  it('maps a remote source URL to a local file with sourceMap', async () => {
    const set = await loadInline(header('  - name: owners\n    url: https://api.example.test/owners.json\n'), {
      'https://api.example.test/owners.json': `${FIXTURES}owners.openapi.json`,
    });
    expect(set.findings).toEqual([]);
    expect(set.sources.owners).toMatchObject({
      type: 'openapi',
      url: 'https://api.example.test/owners.json',
      location: `${FIXTURES}owners.openapi.json`,
    });
  });

  it('turns an unreadable source into one finding located at its url, never a crash', async () => {
    const set = await loadInline(
      header('  - name: remote\n    url: https://api.example.test/openapi.yaml\n    type: openapi\n'),
    );
    expect(set.findings).toEqual([
      {
        severity: 'error',
        code: 'source-unreadable',
        message:
          'cannot read source description "https://api.example.test/openapi.yaml": no network: https://api.example.test/openapi.yaml',
        hint: 'check the url, or map it to a local copy (sourceMap option / --source-map)',
        file: `${FIXTURES}inline.arazzo.yaml`,
        line: 7,
        column: 10,
        pointer: '/sourceDescriptions/0/url',
      },
    ]);
    expect(set.sources.remote).toMatchObject({ type: 'openapi', error: expect.stringContaining('no network') });
  });

  it('loads arazzo sources so their workflows are reachable', async () => {
    const set = await loadInline(
      header('  - name: shared\n    url: ./shared-workflows.arazzo.yaml\n    type: arazzo\n'),
    );
    expect(set.findings).toEqual([]);
    const shared = set.sources.shared;
    expect(isAvailable(shared) && shared.type === 'arazzo' && shared.document.workflows[0].workflowId).toBe('adopt');
  });

  it('infers a missing source type from the content', async () => {
    const set = await loadInline(
      header('  - name: shared\n    url: ./shared-workflows.arazzo.yaml\n  - name: o\n    url: owners.openapi.json\n'),
    );
    expect(set.sources.shared).toMatchObject({ type: 'arazzo' });
    expect(set.sources.o).toMatchObject({ type: 'openapi' });
  });

  it('accepts any Arazzo 1.0.x and 1.1.x and rejects other versions with a message and hint', async () => {
    for (const version of ['1.0.0', '1.0.1', '1.0.7', '1.1.0', '1.1.3']) {
      const set = await loadInline(petsAndOwners.replace('1.0.1', version));
      expect(set.findings).toEqual([]);
    }
    const set = await loadDocumentSet(`${FIXTURES}unsupported-version.arazzo.yaml`, { read: readLocal });
    expect(set.findings).toEqual([
      {
        severity: 'error',
        code: 'unsupported-arazzo-version',
        message: 'Arazzo version "2.0.0" is not supported: this engine runs Arazzo 1.0.x and 1.1.x documents',
        hint: 'this engine implements the Arazzo 1.x specifications; convert the document to Arazzo 1.1',
        file: `${FIXTURES}unsupported-version.arazzo.yaml`,
        line: 1,
        column: 9,
        pointer: '/arazzo',
      },
    ]);
    // One finding, not a schema dump: its unknown fields are not judged by a 1.x schema.
    expect(validateDocumentSet(set)).toEqual(set.findings);
    const v12 = await loadInline(petsAndOwners.replace('arazzo: 1.0.1', 'arazzo: 1.2.0'));
    expect(v12.findings.map((f) => [f.message, f.hint])).toEqual([
      [
        'Arazzo version "1.2.0" is not supported: this engine runs Arazzo 1.0.x and 1.1.x documents',
        'set `arazzo: 1.1.0` if the document only uses 1.1 features',
      ],
    ]);
  });

  it('reports syntax errors of the entry document and of sources', async () => {
    const set = await loadDocumentSet(`${FIXTURES}syntax-error.arazzo.yaml`, { read: readLocal });
    expect(set.entry.document).toBeUndefined();
    expect(set.findings[0]).toMatchObject({ code: 'yaml-syntax', line: 3, column: 10 });

    const withBadSource = await loadInline(
      header('  - name: bad\n    url: ./syntax-error.arazzo.yaml\n    type: arazzo\n'),
    );
    expect(withBadSource.findings.map((f) => [f.code, f.file.replace(FIXTURES, ''), f.line])).toEqual([
      ['source-unparseable', 'inline.arazzo.yaml', 7],
      ['yaml-syntax', 'syntax-error.arazzo.yaml', 3],
      ['yaml-syntax', 'syntax-error.arazzo.yaml', 3],
    ]);
  });

  it('reports an unreadable entry document', async () => {
    const set = await loadDocumentSet('/nonexistent/x.arazzo.yaml', { read: readLocal });
    expect(set.findings).toMatchObject([{ code: 'document-unreadable', file: '/nonexistent/x.arazzo.yaml', line: 1 }]);
    expect(set.entry.document).toBeUndefined();
  });

  it('rejects an OpenAPI description of an unsupported version', async () => {
    const set = await loadInline(header('  - name: old\n    url: ./swagger.yaml\n'), {});
    expect(set.findings[0].code).toBe('source-unreadable');
    const swagger = await loadDocumentSet(`${FIXTURES}inline.arazzo.yaml`, {
      read: async (url) =>
        url.endsWith('swagger.yaml')
          ? 'swagger: "2.0"\nopenapi: 2.0.0\n'
          : header('  - name: old\n    url: ./swagger.yaml\n'),
    });
    expect(swagger.findings).toMatchObject([
      {
        code: 'unsupported-openapi-version',
        message: 'source description "./swagger.yaml" is OpenAPI 2.0.0; only 3.0.x, 3.1.x and 3.2.x are supported',
        line: 7,
      },
    ]);
  });
});

describe('findOperation', () => {
  it('finds an operation by unique operationId, with path-level parameters and servers', async () => {
    const set = await loadInline(petsAndOwners);
    const found = findOperation(set, { operationId: 'getPet' });
    expect(found).toMatchObject({
      ok: true,
      value: {
        sourceName: 'pets',
        method: 'get',
        path: '/pets/{petId}',
        pointer: '/paths/~1pets~1{petId}/get',
        operation: { operationId: 'getPet' },
        pathItemParameters: [{ name: 'petId', in: 'path', required: true }],
        servers: [{ url: 'https://pets.example.test/v1' }],
      },
    });
  });

  it('picks servers from the operation, else the path item, else the document', async () => {
    const set = await loadInline(petsAndOwners);
    const servers = (operationId: string) => {
      const found = findOperation(set, { operationId });
      return found.ok ? found.value.servers.map((server) => server.url) : found.message;
    };
    expect(servers('createPet')).toEqual(['https://write.pets.example.test']);
    expect(servers('$sourceDescriptions.pets.listPets')).toEqual(['https://list.pets.example.test']);
    expect(servers('deletePet')).toEqual(['https://pets.example.test/v1']);
    expect(servers('listOwners')).toEqual(['/']);
  });

  it('requires an operationId found in several sources to be qualified', async () => {
    const set = await loadInline(petsAndOwners);
    expect(findOperation(set, { operationId: 'listPets' })).toMatchObject({
      ok: false,
      reason: 'ambiguous-operation',
      message: 'operationId "listPets" exists in several sources (pets, owners)',
    });
    expect(findOperation(set, { operationId: '$sourceDescriptions.owners.listPets' })).toMatchObject({
      ok: true,
      value: { sourceName: 'owners', path: '/owners/{ownerId}/pets' },
    });
  });

  it('explains unknown operations and sources', async () => {
    const set = await loadInline(petsAndOwners);
    expect(findOperation(set, { operationId: 'getpet' })).toMatchObject({
      ok: false,
      reason: 'unknown-operation',
      candidates: expect.arrayContaining(['getPet']),
    });
    expect(findOperation(set, { operationId: '$sourceDescriptions.cats.getPet' })).toMatchObject({
      ok: false,
      reason: 'unknown-source',
    });
  });

  it('resolves an operationPath JSON pointer into the source', async () => {
    const set = await loadInline(petsAndOwners);
    expect(
      findOperation(set, { operationPath: '{$sourceDescriptions.pets.url}#/paths/~1pets~1{petId}/delete' }),
    ).toMatchObject({
      ok: true,
      value: { method: 'delete', path: '/pets/{petId}', operation: { operationId: 'deletePet' } },
    });
    expect(findOperation(set, { operationPath: '{$sourceDescriptions.pets.url}#/paths/~1pets' })).toMatchObject({
      ok: false,
      reason: 'operation-path-not-operation',
    });
    expect(findOperation(set, { operationPath: '{$sourceDescriptions.pets.url}#/paths/~1cats/get' })).toMatchObject({
      ok: false,
      reason: 'operation-path-unresolved',
    });
    expect(findOperation(set, { operationPath: '/paths/~1pets/get' })).toMatchObject({
      ok: false,
      reason: 'invalid-operation-path',
    });
  });
});
