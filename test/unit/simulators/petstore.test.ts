// The pet store simulator the Arazzo 1.1 pet-purchase example calls before its order message: GET /user/login
// answers a session token (a JSON string) with X-Rate-Limit and X-Expires-After; GET /pet/findByStatus wants
// that token, as is, in Authorization; tokens and passwords never reach the audit log.
import { afterEach, describe, expect, it } from 'vitest';
import { type PetstoreSimulator, startPetstoreSimulator } from '../../../src/simulators/index.js';
import { call, containsNone } from '../../support/simulators.js';

const started: PetstoreSimulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

async function setup() {
  const now = Date.parse('2026-11-30T12:00:00Z');
  const sim = await startPetstoreSimulator({ port: 0, now: () => now, rateLimit: 100 });
  started.push(sim);
  const seed = sim.seed({ username: 'user1' });
  return { sim, seed, now };
}

async function login(sim: PetstoreSimulator, username: string, password: string) {
  return call(sim.baseUrl, 'GET', '/user/login', { query: { username, password } });
}

describe('pet store simulator: GET /api/v3/user/login', () => {
  it('answers the session token as a JSON string, with the rate limit and the expiry in headers', async () => {
    const { sim, seed, now } = await setup();
    expect(sim.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v3$/);
    const r = await login(sim, seed.username, seed.password);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(typeof r.body).toBe('string');
    expect(r.text).toBe(JSON.stringify(r.body));
    expect(r.headers.get('x-rate-limit')).toBe('100');
    expect(r.headers.get('x-expires-after')).toBe(new Date(now + 3_600_000).toISOString());
    expect(sim.credentialWorks(r.body)).toBe(true);
    expect(sim.state.logins()).toBe(1);
    // Each login is its own session.
    const again = await login(sim, seed.username, seed.password);
    expect(again.body).not.toBe(r.body);
    expect(sim.validCredentials()).toHaveLength(2);
  });

  it('refuses a wrong password or an unknown user with 400, and counts no login', async () => {
    const { sim, seed } = await setup();
    expect((await login(sim, seed.username, `${seed.password}x`)).status).toBe(400);
    expect((await login(sim, 'nobody', seed.password)).status).toBe(400);
    expect((await call(sim.baseUrl, 'GET', '/user/login')).status).toBe(400);
    expect(sim.state.logins()).toBe(0);
  });
});

describe('pet store simulator: GET /api/v3/pet/findByStatus', () => {
  it('answers the pets with the status (available by default) to the session token in Authorization', async () => {
    const { sim, seed } = await setup();
    const token = (await login(sim, seed.username, seed.password)).body as string;
    const available = await call(sim.baseUrl, 'GET', '/pet/findByStatus', {
      auth: token,
      query: { status: 'available' },
    });
    expect(available.status).toBe(200);
    expect(available.body).toEqual([
      { id: 1, name: 'doggie', status: 'available' },
      { id: 2, name: 'kitty', status: 'available' },
    ]);
    const byDefault = await call(sim.baseUrl, 'GET', '/pet/findByStatus', { auth: token });
    expect(byDefault.body).toEqual(available.body);
    const sold = await call(sim.baseUrl, 'GET', '/pet/findByStatus', { auth: token, query: { status: 'sold' } });
    expect(sold.body).toEqual([{ id: 3, name: 'goldie', status: 'sold' }]);
    const pending = await call(sim.baseUrl, 'GET', '/pet/findByStatus', { auth: token, query: { status: 'pending' } });
    expect(pending.body).toEqual([]);
    const added = sim.addPet({ name: 'rex', status: 'pending' });
    const pendingNow = await call(sim.baseUrl, 'GET', '/pet/findByStatus', {
      auth: token,
      query: { status: 'pending' },
    });
    expect(pendingNow.body).toEqual([added]);
  });

  it('refuses a missing, unknown or expired token (401) and an unknown status (400)', async () => {
    let now = Date.parse('2026-11-30T12:00:00Z');
    const sim = await startPetstoreSimulator({ port: 0, now: () => now, sessionTtlMs: 60_000 });
    started.push(sim);
    const seed = sim.seed();
    const token = (await login(sim, seed.username, seed.password)).body as string;
    expect((await call(sim.baseUrl, 'GET', '/pet/findByStatus')).status).toBe(401);
    expect((await call(sim.baseUrl, 'GET', '/pet/findByStatus', { auth: `${token}x` })).status).toBe(401);
    expect((await call(sim.baseUrl, 'GET', '/pet/findByStatus', { auth: `Bearer ${token}` })).status).toBe(401);
    const bad = await call(sim.baseUrl, 'GET', '/pet/findByStatus', { auth: token, query: { status: 'lost' } });
    expect(bad.status).toBe(400);
    now += 60_000;
    expect(sim.credentialWorks(token)).toBe(false);
    expect((await call(sim.baseUrl, 'GET', '/pet/findByStatus', { auth: token })).status).toBe(401);
  });

  it('keeps tokens and passwords out of the audit log', async () => {
    const { sim, seed } = await setup();
    const token = (await login(sim, seed.username, seed.password)).body as string;
    await call(sim.baseUrl, 'GET', '/pet/findByStatus', { auth: token });
    const logged = JSON.stringify(sim.audit.entries);
    expect(logged).toContain('/pet/findByStatus');
    expect(containsNone(logged, [token, seed.password])).toBe(true);
  });
});
