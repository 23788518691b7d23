// The Deepgram simulator against the official facts: routes, status codes, body shapes, error format,
// `Token` auth (Bearer refused), the one-time key, key expiry, and keys as credentials.
import { describe, expect, it } from 'vitest';
import { call, containsNone, useSimulators } from '../../support/simulators.js';

const sims = useSimulators();

async function setup(options: Parameters<typeof sims.deepgram>[0] = {}) {
  const sim = await sims.deepgram(options);
  const seed = sim.seed();
  const auth = `Token ${seed.key}`;
  const api = (method: string, path: string, opts: Parameters<typeof call>[3] = {}) =>
    call(sim.baseUrl, method, path, { auth, ...opts });
  const keysPath = `/projects/${seed.projectId}/keys`;
  return { sim, seed, auth, api, keysPath };
}

function expectDeepgramError(body: any, errCode?: string) {
  expect(body).toEqual({
    err_code: errCode ?? expect.any(String),
    err_msg: expect.any(String),
    request_id: expect.any(String),
  });
}

describe('Deepgram simulator: POST /v1/projects/{project_id}/keys', () => {
  it('answers 200 with the key shown once; the new key authenticates immediately', async () => {
    const { sim, seed, api, keysPath } = await setup();
    const r = await api('POST', keysPath, { body: { comment: 'rotation-run-1', scopes: ['member'], tags: ['ci'] } });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['api_key_id', 'comment', 'key', 'scopes', 'tags']);
    expect(r.body).toMatchObject({ comment: 'rotation-run-1', scopes: ['member'], tags: ['ci'] });
    expect(r.body.api_key_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(sim.credentialWorks(r.body.key)).toBe(true);
    const withNew = await call(sim.baseUrl, 'GET', `/projects/${seed.projectId}`, { auth: `Token ${r.body.key}` });
    expect(withNew.status).toBe(200);
    expect(withNew.body).toMatchObject({ project_id: seed.projectId, name: 'production' });
    expect(sim.state.key(r.body.api_key_id)).toMatchObject({ comment: 'rotation-run-1', deleted: false });
  });

  it.each([
    ['missing comment', { scopes: ['member'] }],
    ['empty comment', { comment: '', scopes: ['member'] }],
    ['missing scopes', { comment: 'x' }],
    ['empty scopes', { comment: 'x', scopes: [] }],
    ['scopes not strings', { comment: 'x', scopes: [1] }],
    ['tags not strings', { comment: 'x', scopes: ['member'], tags: 'ci' }],
    [
      'expiration_date with time_to_live_in_seconds',
      { comment: 'x', scopes: ['member'], expiration_date: '2030-01-01T00:00:00Z', time_to_live_in_seconds: 60 },
    ],
    ['a bad expiration_date', { comment: 'x', scopes: ['member'], expiration_date: 'soon' }],
    ['a bad time_to_live_in_seconds', { comment: 'x', scopes: ['member'], time_to_live_in_seconds: 0 }],
  ])('rejects %s with 400 in the Deepgram error format, creating nothing', async (_what, body) => {
    const { sim, seed, api, keysPath } = await setup();
    const r = await api('POST', keysPath, { body });
    expect(r.status).toBe(400);
    expectDeepgramError(r.body, 'BAD_REQUEST');
    expect(sim.state.keys(seed.projectId)).toHaveLength(1);
  });

  it('sets expiration_date from either field; an expired key no longer authenticates', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const { sim, api, keysPath } = await setup({ now: () => now });
    const a = await api('POST', keysPath, {
      body: { comment: 'ttl', scopes: ['member'], time_to_live_in_seconds: 60 },
    });
    expect(a.body.expiration_date).toBe('2030-01-01T00:01:00.000Z');
    const b = await api('POST', keysPath, {
      body: { comment: 'date', scopes: ['member'], expiration_date: '2031-01-01T00:00:00Z' },
    });
    expect(b.body.expiration_date).toBe('2031-01-01T00:00:00.000Z');
    now += 61_000;
    expect(sim.credentialWorks(a.body.key)).toBe(false);
    const denied = await call(sim.baseUrl, 'GET', keysPath, { auth: `Token ${a.body.key}` });
    expect(denied.status).toBe(401);
    const expired = await api('GET', keysPath, { query: { status: 'expired' } });
    expect(expired.body.api_keys.map((k: any) => k.api_key.api_key_id)).toEqual([a.body.api_key_id]);
    const active = await api('GET', keysPath, { query: { status: 'active' } });
    expect(active.body.api_keys).toHaveLength(2);
  });
});

describe('Deepgram simulator: GET keys (list and one)', () => {
  it('lists keys with member and api_key, never the secret', async () => {
    const { seed, api, keysPath } = await setup();
    const created = (await api('POST', keysPath, { body: { comment: 'second', scopes: ['member'] } })).body;
    const r = await api('GET', keysPath);
    expect(r.status).toBe(200);
    expect(r.body.api_keys).toHaveLength(2);
    expect(r.body.api_keys[1]).toEqual({
      member: { member_id: seed.memberId, email: 'owner@example.com' },
      api_key: { api_key_id: created.api_key_id, comment: 'second', scopes: ['member'], created: expect.any(String) },
    });
    expect(containsNone(r.text, [seed.key, created.key])).toBe(true);
  });

  it('gets one key under item.member.api_key, never the secret', async () => {
    const { seed, api, keysPath } = await setup();
    const r = await api('GET', `${keysPath}/${seed.keyId}`);
    expect(r.status).toBe(200);
    expect(r.body.item.member).toMatchObject({ member_id: seed.memberId, email: 'owner@example.com' });
    expect(r.body.item.member.api_key).toMatchObject({ api_key_id: seed.keyId, comment: 'initial', scopes: ['admin'] });
    expect(containsNone(r.text, [seed.key])).toBe(true);
  });

  it('answers 404 for an unknown key, 400 for an unknown status filter', async () => {
    const { api, keysPath } = await setup();
    const r = await api('GET', `${keysPath}/00000000-0000-4000-8000-000000000000`);
    expect(r.status).toBe(404);
    expectDeepgramError(r.body);
    const bad = await api('GET', keysPath, { query: { status: 'revoked' } });
    expect(bad.status).toBe(400);
    expectDeepgramError(bad.body, 'BAD_REQUEST');
  });
});

describe('Deepgram simulator: DELETE /v1/projects/{project_id}/keys/{key_id}', () => {
  it('answers 200 with a message (not 204) and revokes the key', async () => {
    const { sim, seed, api, keysPath } = await setup();
    const created = (await api('POST', keysPath, { body: { comment: 'doomed', scopes: ['member'] } })).body;
    const r = await api('DELETE', `${keysPath}/${created.api_key_id}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ message: expect.any(String) });
    expect(sim.credentialWorks(created.key)).toBe(false);
    expect((await call(sim.baseUrl, 'GET', keysPath, { auth: `Token ${created.key}` })).status).toBe(401);
    expect((await api('GET', `${keysPath}/${created.api_key_id}`)).status).toBe(404);
    expect((await api('DELETE', `${keysPath}/${created.api_key_id}`)).status).toBe(404);
    expect(sim.state.key(created.api_key_id)).toMatchObject({ deleted: true });
    expect(sim.validCredentials().map((c) => c.id)).toEqual([seed.keyId]);
  });

  it('allows deleting the key that authenticates the request (the document does not forbid it)', async () => {
    const { sim, seed, api, keysPath } = await setup();
    expect((await api('DELETE', `${keysPath}/${seed.keyId}`)).status).toBe(200);
    expect(sim.credentialWorks(seed.key)).toBe(false);
    expect((await api('GET', keysPath)).status).toBe(401);
  });
});

describe('Deepgram simulator: auth (Token only)', () => {
  it('refuses Bearer, a missing key, an unknown key with 401 INVALID_AUTH', async () => {
    const { sim, seed, keysPath } = await setup();
    for (const auth of [`Bearer ${seed.key}`, undefined, 'Token 0123456789abcdef', seed.key]) {
      const r = await call(sim.baseUrl, 'GET', keysPath, { auth });
      expect(r.status).toBe(401);
      expectDeepgramError(r.body, 'INVALID_AUTH');
    }
    expect((await call(sim.baseUrl, 'GET', keysPath, { auth: `token ${seed.key}` })).status).toBe(200);
  });

  it("answers 404 for another project's id (a key is project-scoped)", async () => {
    const { sim, api } = await setup();
    const other = sim.seed({ projectName: 'other' });
    const r = await api('GET', `/projects/${other.projectId}/keys`);
    expect(r.status).toBe(404);
    expectDeepgramError(r.body, 'PROJECT_NOT_FOUND');
    expect((await api('GET', '/projects/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('lists the projects of the key', async () => {
    const { seed, api } = await setup();
    const r = await api('GET', '/projects');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ projects: [{ project_id: seed.projectId, name: 'production' }] });
  });

  it('enforces scopes only when asked to (the document names none)', async () => {
    const { sim, seed, api, keysPath } = await setup({ requiredScopes: { write: ['admin', 'keys:write'] } });
    const member = sim.addKey(seed.projectId, { comment: 'reader', scopes: ['member'] });
    const asMember = { auth: `Token ${member.key}` };
    expect((await call(sim.baseUrl, 'GET', keysPath, asMember)).status).toBe(200);
    const denied = await call(sim.baseUrl, 'POST', keysPath, {
      ...asMember,
      body: { comment: 'x', scopes: ['member'] },
    });
    expect(denied.status).toBe(403);
    expectDeepgramError(denied.body, 'FORBIDDEN');
    expect((await call(sim.baseUrl, 'DELETE', `${keysPath}/${seed.keyId}`, asMember)).status).toBe(403);
    expect((await api('POST', keysPath, { body: { comment: 'x', scopes: ['member'] } })).status).toBe(200);
  });
});
