// The Prisma simulator against the official facts: routes, status codes, body shapes, error envelope, auth,
// the one-time secret, pagination, and the connection string as a credential.
import { describe, expect, it } from 'vitest';
import { PRISMA_VALIDATION_STATUS } from '../../../src/simulators/index.js';
import { call, containsNone, passwordOf, useSimulators } from '../../support/simulators.js';

const sims = useSimulators();

async function setup() {
  const sim = await sims.prisma();
  const seed = sim.seed();
  const auth = `Bearer ${seed.serviceToken}`;
  const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) =>
    call(sim.baseUrl, method, path, { auth, ...options });
  return { sim, seed, auth, api };
}

function expectErrorEnvelope(body: any) {
  expect(body).toEqual({ error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }) });
}

describe('Prisma simulator: GET /v1/databases/{databaseId}', () => {
  it('answers 200 with the database wrapped in data, status ready, and no secret', async () => {
    const { seed, api } = await setup();
    const r = await api('GET', `/databases/${seed.databaseId}`);
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({
      id: seed.databaseId,
      type: 'database',
      status: 'ready',
      defaultConnectionId: seed.connectionId,
    });
    expect(r.body.data.connections.map((c: any) => c.id)).toEqual([seed.connectionId]);
    expect(containsNone(r.text, [passwordOf(seed.connectionString), seed.serviceToken])).toBe(true);
  });

  it('answers 404 in the error envelope for an unknown database', async () => {
    const { api } = await setup();
    const r = await api('GET', '/databases/db_cunknown000000');
    expect(r.status).toBe(404);
    expectErrorEnvelope(r.body);
  });

  it('reports a non-ready status as is', async () => {
    const { sim, seed, api } = await setup();
    sim.setDatabaseStatus(seed.databaseId, 'provisioning');
    expect((await api('GET', `/databases/${seed.databaseId}`)).body.data.status).toBe('provisioning');
  });
});

describe('Prisma simulator: auth (Bearer service token)', () => {
  it('refuses a missing, unknown, wrongly-schemed or revoked token with 401 and the error envelope', async () => {
    const { sim, seed } = await setup();
    const path = `/databases/${seed.databaseId}`;
    for (const auth of [undefined, 'Bearer nope-not-a-token', `Token ${seed.serviceToken}`, seed.serviceToken]) {
      const r = await call(sim.baseUrl, 'GET', path, { auth });
      expect(r.status).toBe(401);
      expectErrorEnvelope(r.body);
      expect(r.body.error.hint).toEqual(expect.any(String));
    }
    sim.revokeServiceToken(seed.serviceToken);
    expect((await call(sim.baseUrl, 'GET', path, { auth: `Bearer ${seed.serviceToken}` })).status).toBe(401);
  });

  it('checks auth on every route, before looking anything up', async () => {
    const { sim, seed } = await setup();
    const routes: Array<[string, string]> = [
      ['GET', `/databases/${seed.databaseId}`],
      ['GET', `/databases/${seed.databaseId}/connections`],
      ['POST', `/databases/${seed.databaseId}/connections`],
      ['GET', `/connections/${seed.connectionId}`],
      ['DELETE', `/connections/${seed.connectionId}`],
      ['POST', `/connections/${seed.connectionId}/rotate`],
    ];
    for (const [method, path] of routes) {
      expect(
        (await call(sim.baseUrl, method, path, { body: method === 'POST' ? { name: 'abc' } : undefined })).status,
      ).toBe(401);
    }
    expect(sim.credentialWorks(seed.connectionString)).toBe(true);
    expect(sim.state.connections(seed.databaseId)).toHaveLength(1);
  });
});

describe('Prisma simulator: POST /v1/databases/{databaseId}/connections', () => {
  it('answers 200 (not 201) with the secret once, under data.endpoints.*.connectionString', async () => {
    const { sim, seed, api } = await setup();
    const r = await api('POST', `/databases/${seed.databaseId}/connections`, { body: { name: 'rotation-run-1' } });
    expect(r.status).toBe(200);
    const d = r.body.data;
    expect(d).toMatchObject({ type: 'connection', name: 'rotation-run-1', kind: 'postgres' });
    expect(d.id).toMatch(/^con_c[a-z0-9]{24}$/);
    expect(d.database.id).toBe(seed.databaseId);
    expect(d.endpoints.direct.connectionString).toMatch(/^postgres:\/\//);
    expect(d.endpoints.pooled.connectionString).toMatch(/^postgres:\/\//);
    expect(d.connectionString).toBe(d.endpoints.direct.connectionString);
    expect(d.pass).toBe(passwordOf(d.endpoints.direct.connectionString));
    // The new connection string is a working credential, the old one still works too.
    expect(sim.credentialWorks(d.endpoints.direct.connectionString)).toBe(true);
    expect(sim.credentialWorks(d.endpoints.pooled.connectionString)).toBe(true);
    expect(sim.credentialWorks(seed.connectionString)).toBe(true);
    expect(sim.state.connection(d.id)).toMatchObject({ name: 'rotation-run-1', revoked: false });
  });

  it('never shows the secret again: not in listings, reads, or the database', async () => {
    const { seed, api } = await setup();
    const created = (await api('POST', `/databases/${seed.databaseId}/connections`, { body: { name: 'abc' } })).body
      .data;
    const secrets = [passwordOf(created.endpoints.direct.connectionString), passwordOf(seed.connectionString)];
    const list = await api('GET', `/databases/${seed.databaseId}/connections`);
    const one = await api('GET', `/connections/${created.id}`);
    const db = await api('GET', `/databases/${seed.databaseId}`);
    for (const r of [list, one, db]) {
      expect(r.status).toBe(200);
      expect(containsNone(r.text, secrets)).toBe(true);
      expect(r.text).not.toContain('connectionString');
    }
    expect(list.body.data.map((c: any) => c.id)).toEqual([seed.connectionId, created.id]);
    expect(list.body.data[1].endpoints.direct).toEqual({ host: 'db.prisma.io', port: 5432 });
  });

  it('ignores properties the API does not define (the seed sends type: prisma)', async () => {
    const { seed, api } = await setup();
    const r = await api('POST', `/databases/${seed.databaseId}/connections`, { body: { name: 'abc', type: 'prisma' } });
    expect(r.status).toBe(200);
    expect(r.body.data.kind).toBe('postgres');
  });

  it.each([
    ['missing name', {}],
    ['name too short (2)', { name: 'ab' }],
    ['name too long (66)', { name: 'x'.repeat(66) }],
    ['name not a string', { name: 42 }],
    ['body not an object', ['abc']],
  ])('rejects %s with %s and the error envelope, creating nothing', async (_what, body) => {
    const { sim, seed, api } = await setup();
    const r = await api('POST', `/databases/${seed.databaseId}/connections`, { body });
    expect(r.status).toBe(PRISMA_VALIDATION_STATUS);
    expectErrorEnvelope(r.body);
    expect(sim.state.connections(seed.databaseId)).toHaveLength(1);
  });

  it('accepts names of exactly 3 and 65 characters', async () => {
    const { seed, api } = await setup();
    for (const name of ['abc', 'y'.repeat(65)])
      expect((await api('POST', `/databases/${seed.databaseId}/connections`, { body: { name } })).status).toBe(200);
  });

  it('rejects invalid JSON, and answers 404 for an unknown database', async () => {
    const { seed, api } = await setup();
    expect((await api('POST', `/databases/${seed.databaseId}/connections`, { rawBody: '{"name":' })).status).toBe(
      PRISMA_VALIDATION_STATUS,
    );
    const r = await api('POST', '/databases/db_cunknown000000/connections', { body: { name: 'abc' } });
    expect(r.status).toBe(404);
    expectErrorEnvelope(r.body);
  });
});

describe('Prisma simulator: GET /v1/connections/{id}', () => {
  it('answers 200 with the connection (no secret), 404 when unknown', async () => {
    const { seed, api } = await setup();
    const r = await api('GET', `/connections/${seed.connectionId}`);
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({ id: seed.connectionId, database: { id: seed.databaseId } });
    expect(containsNone(r.text, [passwordOf(seed.connectionString)])).toBe(true);
    expect((await api('GET', '/connections/con_cunknown000000')).status).toBe(404);
  });
});

describe('Prisma simulator: DELETE /v1/connections/{id}', () => {
  it('answers 204 with no body and revokes the connection string', async () => {
    const { sim, seed, api } = await setup();
    const created = (await api('POST', `/databases/${seed.databaseId}/connections`, { body: { name: 'abc' } })).body
      .data;
    const r = await api('DELETE', `/connections/${seed.connectionId}`);
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
    expect(sim.credentialWorks(seed.connectionString)).toBe(false);
    expect(sim.credentialWorks(created.endpoints.direct.connectionString)).toBe(true);
    expect(sim.state.connection(seed.connectionId)).toMatchObject({ revoked: true });
    expect(sim.validCredentials().map((c) => c.id)).toEqual([created.id]);
    // Gone from reads and listings; the database no longer names it as default.
    expect((await api('GET', `/connections/${seed.connectionId}`)).status).toBe(404);
    expect((await api('GET', `/databases/${seed.databaseId}/connections`)).body.data.map((c: any) => c.id)).toEqual([
      created.id,
    ]);
    expect((await api('GET', `/databases/${seed.databaseId}`)).body.data.defaultConnectionId).toBeNull();
  });

  it('answers 404 for an unknown or already deleted connection', async () => {
    const { seed, api } = await setup();
    expect((await api('DELETE', `/connections/${seed.connectionId}`)).status).toBe(204);
    const again = await api('DELETE', `/connections/${seed.connectionId}`);
    expect(again.status).toBe(404);
    expectErrorEnvelope(again.body);
    expect((await api('DELETE', '/connections/con_cunknown000000')).status).toBe(404);
  });
});

describe('Prisma simulator: POST /v1/connections/{id}/rotate', () => {
  it('answers 200 in the create shape with a new secret; the old secret stops working at once', async () => {
    const { sim, seed, api } = await setup();
    const r = await api('POST', `/connections/${seed.connectionId}/rotate`);
    expect(r.status).toBe(200);
    expect(r.body.data.id).toBe(seed.connectionId);
    const fresh = r.body.data.endpoints.direct.connectionString;
    expect(fresh).not.toBe(seed.connectionString);
    expect(sim.credentialWorks(fresh)).toBe(true);
    expect(sim.credentialWorks(seed.connectionString)).toBe(false);
    expect(sim.audit.rotations(seed.connectionId)).toHaveLength(1);
    expect((await api('POST', '/connections/con_cunknown000000/rotate')).status).toBe(404);
  });
});

describe('Prisma simulator: GET /v1/databases/{databaseId}/connections pagination', () => {
  it('pages 250 created connections (plus the seeded one) with cursor/limit, hasMore and nextCursor', async () => {
    const { seed, api } = await setup();
    const created: string[] = [];
    for (let i = 0; i < 250; i++) {
      const r = await api('POST', `/databases/${seed.databaseId}/connections`, { body: { name: `conn-${i}` } });
      created.push(r.body.data.id);
    }
    const all = [seed.connectionId, ...created];

    // Default limit is 100.
    const first = await api('GET', `/databases/${seed.databaseId}/connections`);
    expect(first.body.data).toHaveLength(100);
    expect(first.body.pagination.hasMore).toBe(true);

    const seen: string[] = [];
    const pages: Array<{ n: number; hasMore: boolean; nextCursor: string | null }> = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string> = { limit: '100' };
      if (cursor) query.cursor = cursor;
      const r = await api('GET', `/databases/${seed.databaseId}/connections`, { query });
      expect(r.status).toBe(200);
      seen.push(...r.body.data.map((c: any) => c.id));
      pages.push({ n: r.body.data.length, ...r.body.pagination });
      cursor = r.body.pagination.nextCursor;
    } while (cursor !== null);
    expect(pages.map((p) => [p.n, p.hasMore])).toEqual([
      [100, true],
      [100, true],
      [51, false],
    ]);
    expect(pages[0].nextCursor).toEqual(expect.any(String));
    expect(pages[2].nextCursor).toBeNull();
    expect(seen).toEqual(all);

    // An exact multiple: the last full page says hasMore false.
    const exact = await api('GET', `/databases/${seed.databaseId}/connections`, { query: { limit: '251' } });
    expect(exact.body.data).toHaveLength(251);
    expect(exact.body.pagination).toEqual({ nextCursor: null, hasMore: false });
  });

  it('keeps a cursor valid when items are deleted between pages', async () => {
    const { seed, api } = await setup();
    const ids = [seed.connectionId];
    for (let i = 0; i < 4; i++)
      ids.push(
        (await api('POST', `/databases/${seed.databaseId}/connections`, { body: { name: `c-${i}` } })).body.data.id,
      );
    const p1 = await api('GET', `/databases/${seed.databaseId}/connections`, { query: { limit: '2' } });
    expect(p1.body.data.map((c: any) => c.id)).toEqual(ids.slice(0, 2));
    await api('DELETE', `/connections/${ids[1]}`); // the cursor's own item
    await api('DELETE', `/connections/${ids[2]}`);
    const p2 = await api('GET', `/databases/${seed.databaseId}/connections`, {
      query: { limit: '2', cursor: p1.body.pagination.nextCursor },
    });
    expect(p2.body.data.map((c: any) => c.id)).toEqual(ids.slice(3, 5));
    expect(p2.body.pagination).toEqual({ nextCursor: null, hasMore: false });
  });

  it('rejects a bad limit or cursor with the validation status; 404 for an unknown database', async () => {
    const { seed, api } = await setup();
    const queries: Record<string, string>[] = [
      { limit: '0' },
      { limit: 'abc' },
      { limit: '1.5' },
      { cursor: 'not-a-cursor' },
    ];
    for (const query of queries) {
      const r = await api('GET', `/databases/${seed.databaseId}/connections`, { query });
      expect(r.status).toBe(PRISMA_VALIDATION_STATUS);
      expectErrorEnvelope(r.body);
    }
    expect((await api('GET', '/databases/db_cunknown000000/connections')).status).toBe(404);
  });
});

describe('Prisma simulator: seeds', () => {
  it('are reproducible with a fixed random seed', async () => {
    const a = (await sims.prisma({ randomSeed: 'fixed' })).seed();
    const b = (await sims.prisma({ randomSeed: 'fixed' })).seed();
    expect(a.databaseId).toBe(b.databaseId);
    expect(a.connectionId).toBe(b.connectionId);
    expect(a.connectionString === b.connectionString).toBe(true);
  });

  it('can share a service token across databases and add out-of-band connections', async () => {
    const { sim, seed, api } = await setup();
    const other = sim.seed({ serviceToken: seed.serviceToken, databaseName: 'staging' });
    const extra = sim.addConnection(other.databaseId, 'console-made');
    expect((await api('GET', `/databases/${other.databaseId}/connections`)).body.data.map((c: any) => c.id)).toEqual([
      other.connectionId,
      extra.connectionId,
    ]);
    expect(sim.credentialWorks(extra.connectionString)).toBe(true);
    expect(sim.audit.createdCount('connection')).toBe(0);
    expect(sim.audit.createdCount('connection', { includeSeeds: true })).toBe(3);
  });
});
