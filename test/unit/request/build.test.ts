import { describe, expect, it } from 'vitest';
import type { ExpressionContext } from '../../../src/arazzo/expressions/index.js';
import {
  RequestBuildError,
  buildRequest,
  evaluateOutputs,
  evaluateOutputsDetailed,
  mergeParameters,
  resolveParameter,
  resolveServerUrl,
} from '../../../src/arazzo/request/index.js';

const context: ExpressionContext = {
  inputs: {
    apiToken: 'tok',
    databaseId: 'db 1/x',
    apiKey: 'k',
    projectId: 'p1',
    comment: 'new key',
    scopes: ['member'],
    tags: ['a', 'b'],
  },
  steps: { listConnections: { outputs: { oldConnectionId: 'c-9' } } },
};

function thrown(fn: () => unknown): RequestBuildError {
  try {
    fn();
  } catch (e) {
    if (e instanceof RequestBuildError) return e;
    throw e;
  }
  throw new Error('expected a RequestBuildError');
}

describe('buildRequest', () => {
  it('Prisma seed: getDatabase with an unbraced bearer token', () => {
    const r = buildRequest(
      {
        method: 'get',
        pathTemplate: '/databases/{databaseId}',
        serverUrl: 'https://api.prisma.io/v1',
        parameters: [
          { name: 'databaseId', in: 'path', value: '$inputs.databaseId' },
          { name: 'Authorization', in: 'header', value: 'Bearer $inputs.apiToken' },
        ],
      },
      context,
    );
    expect(r.method).toBe('GET');
    expect(r.url).toBe('https://api.prisma.io/v1/databases/db%201%2Fx');
    expect(r.headers).toEqual({ Authorization: 'Bearer tok' });
    expect(r.body).toBeUndefined();
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({
      code: 'unbraced-expression',
      offset: 7,
      path: 'parameters/header/Authorization',
    });
    expect(r.resolved.path).toEqual({ databaseId: 'db 1/x' });
  });

  it('Prisma seed: createConnection drops the absent optional connectionName', () => {
    const r = buildRequest(
      {
        method: 'POST',
        pathTemplate: '/databases/{databaseId}/connections',
        serverUrl: 'https://api.prisma.io/v1/',
        parameters: [{ name: 'databaseId', in: 'path', value: '$inputs.databaseId' }],
        requestBody: { contentType: 'application/json', payload: { name: '$inputs.connectionName', type: 'prisma' } },
      },
      context,
    );
    expect(r.url).toBe('https://api.prisma.io/v1/databases/db%201%2Fx/connections');
    expect(r.body).toBe('{"type":"prisma"}');
    expect(r.bodyValue).toEqual({ type: 'prisma' });
    expect(r.headers['Content-Type']).toBe('application/json');
    expect(r.contentType).toBe('application/json');
  });

  it('Deepgram seed: createProjectKey keeps array types in the payload', () => {
    const r = buildRequest(
      {
        method: 'POST',
        pathTemplate: '/v1/projects/{project_id}/keys',
        serverUrl: 'https://api.deepgram.com',
        parameters: [
          { name: 'Authorization', in: 'header', value: 'Token $inputs.apiKey' },
          { name: 'project_id', in: 'path', value: '$inputs.projectId' },
        ],
        requestBody: {
          contentType: 'application/json',
          payload: { comment: '$inputs.comment', scopes: '$inputs.scopes' },
        },
      },
      context,
    );
    expect(r.url).toBe('https://api.deepgram.com/v1/projects/p1/keys');
    expect(r.headers.Authorization).toBe('Token k');
    expect(JSON.parse(r.body!)).toEqual({ comment: 'new key', scopes: ['member'] });
  });

  it('a required path parameter resolving to nothing is an error naming parameter and expression', () => {
    const e = thrown(() =>
      buildRequest(
        {
          method: 'DELETE',
          pathTemplate: '/connections/{connectionId}',
          serverUrl: 'https://api.prisma.io/v1',
          parameters: [{ name: 'connectionId', in: 'path', value: '$steps.listConnections.outputs.missing' }],
        },
        context,
      ),
    );
    expect(e.code).toBe('missing-path-parameter');
    expect(e.parameter).toEqual({ name: 'connectionId', in: 'path' });
    expect(e.expression).toBe('$steps.listConnections.outputs.missing');
    expect(e.message).toBe(
      'required path parameter `connectionId` resolved to nothing: `$steps.listConnections.outputs.missing` (`$steps.listConnections.outputs.missing` has no value)',
    );
  });

  it('a path variable without any parameter is an error', () => {
    const e = thrown(() =>
      buildRequest({ method: 'GET', pathTemplate: '/a/{id}', serverUrl: 'https://x', parameters: [] }, context),
    );
    expect(e.code).toBe('missing-path-parameter');
    expect(e.message).toContain('no step parameter `id`');
  });

  it('absent optional query/header/cookie parameters are omitted, never "undefined"', () => {
    const r = buildRequest(
      {
        method: 'GET',
        pathTemplate: '/items',
        serverUrl: 'https://x.test',
        parameters: [
          { name: 'q', in: 'query', value: '$inputs.nope' },
          { name: 'X-Trace', in: 'header', value: 'id-{$inputs.nope}' },
          { name: 'session', in: 'cookie', value: '$inputs.nope' },
          { name: 'tag', in: 'query', value: '$inputs.tags' },
          { name: 'limit', in: 'query', value: 10 },
        ],
      },
      context,
    );
    expect(r.url).toBe('https://x.test/items?tag=a&tag=b&limit=10');
    expect(r.headers).toEqual({});
    expect(r.url).not.toContain('undefined');
  });

  it('uses operation parameter styles and sets cookies', () => {
    const r = buildRequest(
      {
        method: 'GET',
        pathTemplate: '/items/{ids}',
        serverUrl: 'https://x.test/base',
        parameters: [
          { name: 'ids', in: 'path', value: [1, 2] },
          { name: 'tag', in: 'query', value: '$inputs.tags' },
          { name: 'a', in: 'cookie', value: 'b' },
          { name: 'c', in: 'cookie', value: 'd' },
        ],
        operationParameters: [
          { name: 'ids', in: 'path', style: 'matrix', explode: true },
          { name: 'tag', in: 'query', style: 'pipeDelimited', explode: false },
        ],
      },
      context,
    );
    expect(r.url).toBe('https://x.test/base/items/;ids=1;ids=2?tag=a%7Cb');
    expect(r.headers.Cookie).toBe('a=b; c=d');
  });

  it('accepts pre-parsed templates', () => {
    const r = buildRequest(
      {
        method: 'GET',
        pathTemplate: '/',
        serverUrl: 'https://x.test',
        parameters: [
          {
            name: 'q',
            in: 'query',
            template: {
              kind: 'expression',
              expression: { kind: 'inputs', name: 'projectId' },
              text: '$inputs.projectId',
            },
          },
        ],
      },
      context,
    );
    expect(r.url).toBe('https://x.test/?q=p1');
  });

  it('strict mode sends bare tokens literally', () => {
    const r = buildRequest(
      {
        method: 'GET',
        pathTemplate: '/',
        serverUrl: 'https://x.test',
        strict: true,
        parameters: [{ name: 'Authorization', in: 'header', value: 'Bearer $inputs.apiToken' }],
      },
      context,
    );
    expect(r.headers.Authorization).toBe('Bearer $inputs.apiToken');
    expect(r.warnings[0].message).toContain('strict mode');
  });

  it('typed errors for bad input', () => {
    expect(
      thrown(() =>
        buildRequest(
          { method: 'GET', pathTemplate: '/', serverUrl: 'https://x', parameters: [{ name: 'a', value: 1 }] },
          context,
        ),
      ).code,
    ).toBe('missing-parameter-location');
    const syntax = thrown(() =>
      buildRequest(
        {
          method: 'GET',
          pathTemplate: '/',
          serverUrl: 'https://x',
          parameters: [{ name: 'a', in: 'query', value: '$response.body.id' }],
        },
        context,
      ),
    );
    expect(syntax).toMatchObject({ code: 'expression-syntax', offset: 14, parameter: { name: 'a', in: 'query' } });
    expect(syntax.message).toContain('did you mean `$response.body#/id`?');
    expect(
      thrown(() => buildRequest({ method: 'GET', pathTemplate: '/', serverUrl: '/relative', parameters: [] }, context))
        .code,
    ).toBe('invalid-server-url');
    expect(
      thrown(() =>
        buildRequest(
          {
            method: 'GET',
            pathTemplate: '/',
            serverUrl: 'https://x',
            parameters: [{ name: 'X', in: 'header', value: 'a\r\nInjected: 1' }],
          },
          context,
        ),
      ).code,
    ).toBe('invalid-header-value');
  });

  it('an explicit Content-Type header parameter wins', () => {
    const r = buildRequest(
      {
        method: 'POST',
        pathTemplate: '/',
        serverUrl: 'https://x',
        parameters: [{ name: 'content-type', in: 'header', value: 'application/vnd.api+json' }],
        requestBody: { contentType: 'application/json', payload: { a: 1 } },
      },
      context,
    );
    expect(r.headers).toEqual({ 'content-type': 'application/vnd.api+json' });
    expect(r.contentType).toBe('application/vnd.api+json');
  });
});

describe('mergeParameters / resolveParameter', () => {
  const components = {
    page: { name: 'page', in: 'query' as const, value: 1 },
    auth: { name: 'Authorization', in: 'header' as const, value: 'x' },
  };
  it('step overrides workflow by name+in (headers case-insensitively), order kept', () => {
    const merged = mergeParameters(
      [
        { name: 'a', in: 'query', value: 1 },
        { name: 'authorization', in: 'header', value: 'wf' },
        { name: 'a', in: 'header', value: 'h' },
      ],
      [
        { name: 'Authorization', in: 'header', value: 'step' },
        { name: 'b', in: 'query', value: 2 },
      ],
    );
    expect(merged).toEqual([
      { name: 'a', in: 'query', value: 1 },
      { name: 'Authorization', in: 'header', value: 'step' },
      { name: 'a', in: 'header', value: 'h' },
      { name: 'b', in: 'query', value: 2 },
    ]);
  });
  it('resolves component references with a value override', () => {
    expect(resolveParameter({ reference: '$components.parameters.page', value: 5 }, components)).toEqual({
      name: 'page',
      in: 'query',
      value: 5,
    });
    expect(resolveParameter({ reference: '$components.parameters.page' }, components)).toEqual({
      name: 'page',
      in: 'query',
      value: 1,
    });
    expect(
      mergeParameters(
        [{ reference: '$components.parameters.page' }],
        [{ name: 'page', in: 'query', value: 9 }],
        components,
      ),
    ).toEqual([{ name: 'page', in: 'query', value: 9 }]);
  });
  it('reference errors', () => {
    expect(thrown(() => resolveParameter({ reference: '$components.parameters.nope' }, components)).code).toBe(
      'unknown-component',
    );
    expect(thrown(() => resolveParameter({ reference: '$components.successActions.x' }, components)).code).toBe(
      'invalid-reference',
    );
    expect(thrown(() => resolveParameter({ reference: '$components.parameter.x' }, components))).toMatchObject({
      code: 'invalid-reference',
      offset: 12,
    });
  });
});

describe('resolveServerUrl', () => {
  const servers = [
    {
      url: 'https://{region}.api.example.com/{version}',
      variables: { region: { default: 'eu', enum: ['eu', 'us'] }, version: { default: 'v1' } },
    },
    { url: '/v2' },
  ];
  it('defaults, overrides, enum check', () => {
    expect(resolveServerUrl(servers)).toBe('https://eu.api.example.com/v1');
    expect(resolveServerUrl(servers, { variables: { region: 'us', version: 'v3' } })).toBe(
      'https://us.api.example.com/v3',
    );
    expect(thrown(() => resolveServerUrl(servers, { variables: { region: 'mars' } }))).toMatchObject({
      code: 'invalid-server-variable',
      message: 'server variable `region` is `mars`; allowed: `eu`, `us`',
    });
  });
  it('relative URLs resolve against the description URL', () => {
    expect(resolveServerUrl(servers, { index: 1, baseUrl: 'https://x.test/specs/openapi.yaml' })).toBe(
      'https://x.test/v2',
    );
    expect(resolveServerUrl(undefined, { baseUrl: 'https://x.test/specs/openapi.yaml' })).toBe('https://x.test');
    expect(thrown(() => resolveServerUrl(servers, { index: 1 })).code).toBe('invalid-server-url');
    expect(thrown(() => resolveServerUrl(servers, { index: 5 })).code).toBe('invalid-server-url');
    expect(thrown(() => resolveServerUrl([{ url: 'https://{x}.test' }])).code).toBe('invalid-server-variable');
  });
});

describe('evaluateOutputs', () => {
  const ctx: ExpressionContext = {
    inputs: { oldKeyId: 'k0' },
    steps: {},
    statusCode: 201,
    response: { headers: {}, body: { id: 'n1', data: [{ id: 'c1' }] } },
  };
  it('evaluates expressions and omits absent outputs', () => {
    expect(
      evaluateOutputs(
        {
          id: '$response.body#/id',
          first: '$response.body#/data/0/id',
          code: '$statusCode',
          gone: '$response.body#/x',
          del: '$inputs.oldKeyId',
        },
        ctx,
      ),
    ).toEqual({
      id: 'n1',
      first: 'c1',
      code: 201,
      del: 'k0',
    });
    expect(evaluateOutputsDetailed({ gone: '$response.body#/x' }, ctx)).toEqual({ values: {}, unresolved: ['gone'] });
  });
  it('throws a typed error on a bad expression', () => {
    expect(thrown(() => evaluateOutputs({ a: '$response.body.id' }, ctx))).toMatchObject({
      code: 'expression-syntax',
      offset: 14,
    });
  });
});
