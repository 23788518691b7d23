// OpenAPI 3.2 pieces Arazzo 1.1 uses: `in: querystring` serialization, and operations under the
// `query` method and `additionalOperations` (the loopback e2e sends a form-encoded querystring).
import { describe, expect, it } from 'vitest';
import { findOperation, listOperations, loadDocumentSet } from '../../../src/arazzo/document/index.js';
import { serializeQueryString } from '../../../src/arazzo/request/serialize-parameter.js';
import { FIXTURES, readerWith } from '../document/fixture-reader.js';

describe('in: querystring', () => {
  it('form-encoded: as written, only what a URL cannot carry encoded; an object is form-encoded', () => {
    expect(serializeQueryString('filter=active&sort=desc&limit=50')).toBe('filter=active&sort=desc&limit=50');
    expect(serializeQueryString('?q=a b&tag=ü')).toBe('q=a%20b&tag=%C3%BC');
    expect(serializeQueryString({ category: 'a&b', inStock: true })).toBe('category=a%26b&inStock=true');
  });

  it('another media type (application/json) is one value, percent-encoded whole', () => {
    expect(serializeQueryString('{"filter":"active","limit":50}', 'application/json')).toBe(
      '%7B%22filter%22%3A%22active%22%2C%22limit%22%3A50%7D',
    );
  });
});

describe('OpenAPI 3.2 descriptions', () => {
  it('load, and their query and additionalOperations operations can be called', async () => {
    const description = `openapi: 3.2.0
info: { title: t, version: '1' }
paths:
  /search:
    query:
      operationId: searchByQuery
      responses: { '200': { description: ok } }
    additionalOperations:
      LINK:
        operationId: linkThings
        responses: { '204': { description: ok } }
`;
    const url = `${FIXTURES}inline.arazzo.yaml`;
    const full = await loadDocumentSet(url, {
      read: readerWith({
        [url]: `arazzo: 1.1.0\ninfo: { title: t, version: '1' }\nsourceDescriptions:\n  - { name: api, url: ./api-3.2.yaml, type: openapi }\nworkflows:\n  - workflowId: w\n    steps:\n      - { stepId: s, operationId: searchByQuery }\n`,
        [`${FIXTURES}api-3.2.yaml`]: description,
      }),
    });
    expect(full.findings).toEqual([]);
    const source = full.sources.api;
    if (!source || 'error' in source || source.type !== 'openapi') throw new Error('not loaded');
    expect(listOperations('api', source).map((o) => [o.method, o.pointer])).toEqual([
      ['query', '/paths/~1search/query'],
      ['LINK', '/paths/~1search/additionalOperations/LINK'],
    ]);
    const found = findOperation(full, { operationId: 'linkThings' });
    expect(found.ok && found.value.method.toUpperCase()).toBe('LINK');
  });
});
