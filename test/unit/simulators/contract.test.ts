// The official-contract checker itself: it loads the vendors' documents, finds operations, and catches the
// drift it exists to catch. Also: our own descriptions (arazzo/openapi) map onto the official operations and
// accept what the simulators really send.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type CheckedExchange,
  type ContractConfig,
  type Exchange,
  loadContract,
  OFFICIAL_DEEPGRAM,
  OFFICIAL_PRISMA,
  OfficialContract,
} from '../../../src/simulators/index.js';
import { call, useSimulators } from '../../support/simulators.js';

const sims = useSimulators();
const repoFile = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));
const OURS_PRISMA: ContractConfig = {
  name: 'our Prisma description',
  file: repoFile('arazzo/openapi/prisma-postgres-management-openapi.yml'),
  errorSchemaPointer: '/components/schemas/Error',
};
const OURS_DEEPGRAM: ContractConfig = {
  name: 'our Deepgram description',
  file: repoFile('arazzo/openapi/deepgram-management-openapi.yml'),
  errorSchemaPointer: '/components/schemas/ErrorResponse',
};

const json = (
  status: number,
  body: unknown,
  extra: Partial<CheckedExchange> = {},
): Omit<CheckedExchange, 'method' | 'path'> => ({
  status,
  headers: { 'content-type': 'application/json' },
  bodyText: JSON.stringify(body),
  ...extra,
});

describe('official contract: operations', () => {
  it('finds operations by method and path template, literal segments first', async () => {
    const dg = await loadContract(OFFICIAL_DEEPGRAM);
    expect(dg.findOperation('DELETE', '/v1/projects/p1/keys/k1')?.template).toBe(
      '/v1/projects/{project_id}/keys/{key_id}',
    );
    expect(dg.findOperation('GET', '/v1/projects/p1/keys')?.template).toBe('/v1/projects/{project_id}/keys');
    expect(dg.findOperation('DELETE', '/v1/projects/p1/leave')?.template).toBe('/v1/projects/{project_id}/leave');
    expect(dg.findOperation('PUT', '/v1/projects/p1/keys')).toBeUndefined();
    const pr = await loadContract(OFFICIAL_PRISMA);
    expect(pr.findOperation('POST', '/v1/connections/con_x/rotate')?.operationId).toBe('postV1ConnectionsByIdRotate');
    expect(pr.findOperation('DELETE', '/v1/connections/con_x')?.operationId).toBe('deleteV1ConnectionsById');
  });
});

describe('official contract: catches drift', () => {
  it('Prisma: 201 on create, an unwrapped body, a 400, a 204 with a body, an unknown route', async () => {
    const c = await loadContract(OFFICIAL_PRISMA);
    const create = { method: 'POST', path: '/v1/databases/db_cabcdefghij/connections' };
    expect(c.check({ ...create, ...json(201, { data: {} }) }).violations[0]).toMatch(/status 201 is not declared/);
    const unwrapped = c.check({ ...create, ...json(200, { id: 'con_cabcdefghij', connectionString: 'x' }) });
    expect(unwrapped.violations.join('\n')).toMatch(/must have required property 'data'/);
    expect(c.check({ ...create, ...json(400, { error: { code: 'x', message: 'y' } }) }).violations).toHaveLength(1);
    const del = { method: 'DELETE', path: '/v1/connections/con_cabcdefghij' };
    expect(c.check({ ...del, ...json(204, { ok: true }) }).violations[0]).toMatch(/declares no content/);
    expect(c.check({ ...del, status: 204, headers: {}, bodyText: '' }).violations).toEqual([]);
    expect(c.check({ method: 'GET', path: '/v1/nope', ...json(200, {}) }).violations[0]).toMatch(/no operation/);
  });

  it('Prisma: a wrong status enum, a secret-bearing listing shape, and a wrong error envelope', async () => {
    const c = await loadContract(OFFICIAL_PRISMA);
    const db = { method: 'GET', path: '/v1/databases/db_cabcdefghij' };
    const found = c.check({ ...db, ...json(200, { data: { status: 'active' } }) }).violations.join('\n');
    expect(found).toMatch(/\/data\/status must be equal to one of the allowed values/);
    const err = c.check({ ...db, ...json(404, { message: 'not found' }) });
    expect(err.violations.join('\n')).toMatch(/must have required property 'error'/);
    const list = c.check({
      method: 'GET',
      path: '/v1/databases/db_cabcdefghij/connections',
      ...json(200, { data: [{ id: 'bad' }], pagination: { hasMore: false } }),
    });
    expect(list.violations.join('\n')).toMatch(/nextCursor/);
  });

  it('Deepgram: 204 on delete is undeclared; 401 is tolerated but must be an error body', async () => {
    const c = await loadContract(OFFICIAL_DEEPGRAM);
    const del = { method: 'DELETE', path: '/v1/projects/p/keys/k' };
    expect(c.check({ ...del, status: 204, headers: {}, bodyText: '' }).violations[0]).toMatch(
      /status 204 is not declared/,
    );
    const ok401 = c.check({ ...del, ...json(401, { err_code: 'INVALID_AUTH', err_msg: 'x', request_id: 'r' }) });
    expect(ok401.violations).toEqual([]);
    expect(ok401.tolerated).toHaveLength(1);
    const bad401 = c.check({ ...del, ...json(401, 42) });
    expect(bad401.violations.length).toBeGreaterThan(0);
    const wrongType = c.check({ ...del, ...json(200, { message: 7 }) });
    expect(wrongType.violations.join('\n')).toMatch(/\/message must be string/);
    const injected = c.check({
      ...del,
      ...json(503, { err_code: 'X', err_msg: 'y', request_id: 'z' }),
      injected: true,
    });
    expect(injected.violations).toEqual([]);
    expect(c.check({ ...del, ...json(503, { err_code: 'X' }) }).violations[0]).toMatch(/status 503 is not declared/);
  });

  it('flags an undeclared content type', async () => {
    const c = await loadContract(OFFICIAL_DEEPGRAM);
    const r = c.check({
      method: 'GET',
      path: '/v1/projects/p',
      status: 200,
      headers: { 'content-type': 'text/html' },
      bodyText: '<p>',
    });
    expect(r.violations[0]).toMatch(/content type "text\/html" not declared/);
  });
});

describe('our descriptions', () => {
  it.each([
    ['prisma', OURS_PRISMA, OFFICIAL_PRISMA],
    ['deepgram', OURS_DEEPGRAM, OFFICIAL_DEEPGRAM],
  ] as const)(
    '%s: every operation is an official one, named in x-official-operation-id',
    async (_n, ours, official) => {
      const o = await OfficialContract.load(ours);
      const off = await loadContract(official);
      expect(o.basePath).toBe('/v1');
      for (const op of o.operations) {
        const samplePath = `/v1${op.template.replace(/\{[^}]+\}/g, 'x1')}`;
        const match = off.findOperation(op.method, samplePath);
        expect(match, `${op.method} ${op.template}`).toBeDefined();
        const declared = o.document.paths[op.template][op.method.toLowerCase()]['x-official-operation-id'];
        expect(match?.operationId).toBe(declared);
      }
    },
  );

  it('accept every response the simulators send in a rotation, errors included', async () => {
    const oursPrisma = await OfficialContract.load(OURS_PRISMA);
    const oursDeepgram = await OfficialContract.load(OURS_DEEPGRAM);
    const findings: string[] = [];
    const hook = (contract: OfficialContract) => (ex: Exchange) => {
      const r = contract.check(ex);
      findings.push(...r.violations.map((v) => `${ex.method} ${ex.path} ${ex.status}: ${v}`), ...r.tolerated);
    };

    const p = await sims.prisma({ onExchange: hook(oursPrisma) });
    const ps = p.seed();
    const pa = { auth: `Bearer ${ps.serviceToken}` };
    await call(p.baseUrl, 'GET', `/databases/${ps.databaseId}`, pa);
    await call(p.baseUrl, 'GET', `/connections/${ps.connectionId}`, pa);
    const created = await call(p.baseUrl, 'POST', `/databases/${ps.databaseId}/connections`, {
      ...pa,
      body: { name: 'run-1' },
    });
    await call(p.baseUrl, 'GET', `/databases/${ps.databaseId}/connections`, { ...pa, query: { limit: '1' } });
    await call(p.baseUrl, 'POST', `/connections/${created.body.data.id}/rotate`, pa);
    await call(p.baseUrl, 'DELETE', `/connections/${ps.connectionId}`, pa);
    await call(p.baseUrl, 'DELETE', `/connections/${ps.connectionId}`, pa);
    await call(p.baseUrl, 'POST', `/databases/${ps.databaseId}/connections`, { ...pa, body: { name: 'x' } });
    await call(p.baseUrl, 'GET', `/databases/${ps.databaseId}`);

    const d = await sims.deepgram({ onExchange: hook(oursDeepgram) });
    const ds = d.seed();
    const da = { auth: `Token ${ds.key}` };
    const keys = `/projects/${ds.projectId}/keys`;
    await call(d.baseUrl, 'GET', `${keys}/${ds.keyId}`, da);
    const k = await call(d.baseUrl, 'POST', keys, { ...da, body: { comment: 'run-1', scopes: ['member'] } });
    await call(d.baseUrl, 'GET', `/projects/${ds.projectId}`, { auth: `Token ${k.body.key}` });
    await call(d.baseUrl, 'GET', '/projects', da);
    await call(d.baseUrl, 'GET', keys, da);
    await call(d.baseUrl, 'DELETE', `${keys}/${k.body.api_key_id}`, da);
    await call(d.baseUrl, 'DELETE', `${keys}/${k.body.api_key_id}`, da);
    await call(d.baseUrl, 'POST', keys, { ...da, body: { comment: 'x' } });
    await call(d.baseUrl, 'GET', keys, { auth: `Bearer ${ds.key}` });

    expect(findings).toEqual([]);
  });
});
