// A `$ref` inside data (examples, `x-` extensions, defaults) is data: never followed, never read. The
// shapes are those met in real descriptions: a dangling `$ref` in a vendor extension (Okta), SCIM
// example data holding `{"$ref": "https://…"}` (Datadog), in the description and in a file it references.
import { describe, expect, it } from 'vitest';
import { isAvailable, loadDocumentSet } from '../../../src/arazzo/document/index.js';
import { preflight } from '../../../src/arazzo/preflight/index.js';
import { validateDocumentSet } from '../../../src/arazzo/validate/index.js';

const arazzo = `arazzo: 1.0.1
info: {title: t, version: 1.0.0}
sourceDescriptions:
  - {name: api, url: ./api.yaml, type: openapi}
workflows:
  - workflowId: w
    steps:
      - stepId: s
        operationId: getUser
        parameters: [{name: id, in: path, value: u1}]
        outputs:
          name: $response.body#/userName
`;

const description = `openapi: 3.0.3
info: {title: t, version: '1'}
x-vendor-links:
  user: {$ref: '#/components/schemas/Missing'}
paths:
  /Users/{id}:
    x-codegen: {$ref: 'https://vendor.invalid/codegen.yaml'}
    get:
      operationId: getUser
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}, example: {$ref: 'https://vendor.invalid/p'}}
      responses:
        '200':
          description: ok
          headers:
            x-rate-limit: {$ref: '#/components/headers/Limit'}
          content:
            application/scim+json:
              schema: {$ref: './schemas.yaml#/User'}
              examples:
                one:
                  value:
                    userName: a
                    groups: [{$ref: 'https://vendor.invalid/Groups/1', value: g1}]
                two: {$ref: '#/components/examples/Two'}
components:
  headers:
    Limit: {schema: {type: integer}}
  examples:
    Two:
      value: {manager: {$ref: 'https://vendor.invalid/Users/2'}}
`;

const schemas = `User:
  type: object
  x-internal: {$ref: '#/Nowhere'}
  properties:
    userName: {type: string, default: {$ref: 'https://vendor.invalid/default'}}
    x-meta: {$ref: '#/Meta'}
  example: {$ref: 'https://vendor.invalid/Users/1'}
Meta:
  type: object
  properties: {created: {type: string}}
`;

describe('a $ref inside data', () => {
  it('is neither followed nor read, in the description or a file it references; real $refs still resolve', async () => {
    const files: Record<string, string> = {
      '/d/a.arazzo.yaml': arazzo,
      '/d/api.yaml': description,
      '/d/schemas.yaml': schemas,
    };
    const asked: string[] = [];
    const set = await loadDocumentSet('/d/a.arazzo.yaml', {
      read: async (url) => {
        asked.push(url);
        if (url in files) return files[url];
        throw new Error(`unreachable: ${url}`);
      },
    });
    expect(asked.sort()).toEqual(['/d/a.arazzo.yaml', '/d/api.yaml', '/d/schemas.yaml']);
    expect(set.findings).toEqual([]);
    expect(validateDocumentSet(set).filter((f) => f.severity === 'error')).toEqual([]);
    const api = set.sources.api;
    if (!isAvailable(api) || api.type !== 'openapi') throw new Error('api did not load');
    const doc = api.document;
    // Data keeps its `$ref` as written...
    expect(doc['x-vendor-links']).toEqual({ user: { $ref: '#/components/schemas/Missing' } });
    const get = doc.paths['/Users/{id}'].get;
    expect(get.parameters[0].example).toEqual({ $ref: 'https://vendor.invalid/p' });
    const media = get.responses['200'].content['application/scim+json'];
    expect(media.examples.one.value.groups[0]).toEqual({ $ref: 'https://vendor.invalid/Groups/1', value: 'g1' });
    expect(media.schema.example).toEqual({ $ref: 'https://vendor.invalid/Users/1' });
    expect(media.schema.properties.userName.default).toEqual({ $ref: 'https://vendor.invalid/default' });
    // ...while references of the description resolve: a header named x-…, a property named x-…, an Example Object.
    expect(get.responses['200'].headers['x-rate-limit']).toEqual({ schema: { type: 'integer' } });
    expect(media.schema.properties['x-meta'].properties.created).toEqual({ type: 'string' });
    expect(media.examples.two).toEqual({ value: { manager: { $ref: 'https://vendor.invalid/Users/2' } } });
  });
});

describe('a $ref of the description that cannot be resolved', () => {
  it('is a warning, not an unusable source; what a step reads through it is unknown, never absent', async () => {
    const files: Record<string, string> = {
      '/d/a.arazzo.yaml': arazzo.replace('#/userName', '#/profile/name'),
      '/d/api.yaml': `openapi: 3.0.3
info: {title: t, version: '1', description: {$ref: './docs/intro.md'}}
paths:
  /Users/{id}:
    get:
      operationId: getUser
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {profile: {$ref: '#/components/schemas/Missing'}}}
`,
    };
    const set = await loadDocumentSet('/d/a.arazzo.yaml', {
      read: async (url) => {
        if (url in files) return files[url];
        throw new Error(`no such file: ${url}`);
      },
    });
    expect(set.findings.map((f) => [f.severity, f.code, f.pointer])).toEqual([
      ['warning', 'source-unresolved-refs', '/sourceDescriptions/0/url'],
    ]);
    expect(set.findings[0].message).toMatch(/^2 \$refs of source description "\.\/api\.yaml" cannot be resolved/);
    expect(isAvailable(set.sources.api)).toBe(true);
    const errors = validateDocumentSet(set).filter((f) => f.severity === 'error');
    expect(errors).toEqual([]);
    // `#/profile/name` goes through the broken reference: it cannot be checked, so nothing is reported.
    expect(preflight(set)).toEqual([]);
  });
});
