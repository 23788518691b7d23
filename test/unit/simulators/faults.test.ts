// Every fault-injection mode, with the state change asserted to have happened or not, through the state API
// and the audit log: status (500/503/429 + Retry-After), latency, hold before/after the state change,
// drop before/after the state change; one-shot, N times, until cleared.
import { describe, expect, it } from 'vitest';
import { call, useSimulators } from '../../support/simulators.js';

const sims = useSimulators();
const CREATE = 'POST /v1/databases/:databaseId/connections';

async function setup() {
  const sim = await sims.prisma();
  const seed = sim.seed();
  const create = (name = 'replacement') =>
    call(sim.baseUrl, 'POST', `/databases/${seed.databaseId}/connections`, {
      auth: `Bearer ${seed.serviceToken}`,
      body: { name },
    });
  const count = () => sim.state.connections(seed.databaseId).length;
  const lastCreateEntry = () => sim.audit.forRoute(CREATE).at(-1)!;
  return { sim, seed, create, count, lastCreateEntry };
}

describe('fault injection: status', () => {
  it('500 before the state change: error envelope, nothing created', async () => {
    const { sim, create, count, lastCreateEntry } = await setup();
    sim.faults.status(CREATE, 500);
    const r = await create();
    expect(r.status).toBe(500);
    expect(r.body).toEqual({ error: { code: 'InternalServerError', message: expect.any(String) } });
    expect(count()).toBe(1);
    expect(sim.audit.createdCount('connection')).toBe(0);
    expect(lastCreateEntry()).toMatchObject({ outcome: 'responded', faults: ['status 500 @before-state-change'] });
    expect(sim.contract!.tolerated.at(-1)!.message).toContain('injected');
  });

  it('503 after the state change: the client sees an error, yet the connection exists', async () => {
    const { sim, seed, create, count, lastCreateEntry } = await setup();
    sim.faults.status(CREATE, 503, { phase: 'after-state-change' });
    const r = await create('made-anyway');
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('1');
    expect(count()).toBe(2);
    expect(sim.state.connections(seed.databaseId)[1].name).toBe('made-anyway');
    expect(sim.audit.createdCount('connection')).toBe(1);
    expect(lastCreateEntry()).toMatchObject({ response: { status: 503 }, events: [{ type: 'created' }] });
  });

  it('429 with Retry-After', async () => {
    const { sim, create, count } = await setup();
    sim.faults.status(CREATE, 429, { retryAfterSeconds: 7 });
    const r = await create();
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('7');
    expect(r.body.error.code).toBe('RateLimitExceeded');
    expect(count()).toBe(1);
  });

  it('is one-shot by default, N times when asked, and until cleared with always', async () => {
    const { sim, create } = await setup();
    sim.faults.status(CREATE, 500);
    expect((await create()).status).toBe(500);
    expect((await create()).status).toBe(200);

    const twice = sim.faults.status(CREATE, 503, { times: 2 });
    expect([(await create()).status, (await create()).status, (await create()).status]).toEqual([503, 503, 200]);
    expect(twice.hits).toBe(2);
    expect(twice.active).toBe(false);

    sim.faults.status(CREATE, 500, { times: 'always' });
    for (let i = 0; i < 4; i++) expect((await create()).status).toBe(500);
    expect(sim.faults.armed()).toHaveLength(1);
    sim.faults.clear(CREATE);
    expect((await create()).status).toBe(200);
    expect(sim.faults.armed()).toHaveLength(0);
  });

  it('applies only to its route, named with any parameter names', async () => {
    const { sim, seed, create } = await setup();
    sim.faults.status('GET /v1/databases/:id', 500);
    expect((await create()).status).toBe(200);
    const r = await call(sim.baseUrl, 'GET', `/databases/${seed.databaseId}`, { auth: `Bearer ${seed.serviceToken}` });
    expect(r.status).toBe(500);
  });

  it('refuses an unknown route or a bad count', async () => {
    const { sim } = await setup();
    expect(() => sim.faults.status('POST /v1/databases/:id/connection', 500)).toThrow(/unknown route/);
    expect(() => sim.faults.drop(CREATE, { times: 0 })).toThrow(/positive integer/);
  });

  it('uses Deepgram error format on Deepgram routes', async () => {
    const sim = await sims.deepgram();
    const seed = sim.seed();
    sim.faults.status('GET /v1/projects/:project_id/keys', 500);
    const r = await call(sim.baseUrl, 'GET', `/projects/${seed.projectId}/keys`, { auth: `Token ${seed.key}` });
    expect(r.status).toBe(500);
    expect(r.body).toEqual({
      err_code: 'INTERNAL_SERVER_ERROR',
      err_msg: expect.any(String),
      request_id: expect.any(String),
    });
  });
});

describe('fault injection: latency', () => {
  it('delays the response, then proceeds normally', async () => {
    const { sim, create, count, lastCreateEntry } = await setup();
    sim.faults.latency(CREATE, 300);
    const started = performance.now();
    const r = await create();
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(r.status).toBe(200);
    expect(count()).toBe(2);
    expect(lastCreateEntry().faults).toEqual(['latency 300ms @before-state-change']);
    const again = performance.now();
    await create();
    expect(performance.now() - again).toBeLessThan(250);
  });
});

describe('fault injection: hold', () => {
  it('before the state change: nothing happens until released', async () => {
    const { sim, create, count } = await setup();
    const hold = sim.faults.hold(CREATE);
    const pending = create('held');
    const caught = await hold.reached;
    expect(caught).toMatchObject({ method: 'POST', phase: 'before-state-change' });
    expect(hold.waiting).toBe(1);
    expect(count()).toBe(1);
    expect(sim.audit.forRoute(CREATE)).toHaveLength(0);
    hold.release();
    const r = await pending;
    expect(r.status).toBe(200);
    expect(count()).toBe(2);
    expect(sim.audit.forRoute(CREATE)[0]).toMatchObject({
      outcome: 'responded',
      faults: ['hold @before-state-change'],
    });
  });

  it('after the state change: the connection exists while the response is withheld', async () => {
    const { sim, create, count } = await setup();
    const hold = sim.faults.hold(CREATE, { phase: 'after-state-change' });
    let settled = false;
    const pending = create('held-after').then((r) => {
      settled = true;
      return r;
    });
    await hold.reached;
    expect(count()).toBe(2);
    const entry = sim.audit.forRoute(CREATE)[0];
    expect(entry).toMatchObject({ outcome: 'pending', events: [{ type: 'created', kind: 'connection' }] });
    expect(entry.response).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(settled).toBe(false);
    hold.release();
    const r = await pending;
    expect(r.status).toBe(200);
    expect(r.body.data.id).toBe(entry.events[0].id);
    expect(entry).toMatchObject({ outcome: 'responded', response: { status: 200 } });
  });

  it('lets other requests through meanwhile, and is spent after release', async () => {
    const { sim, seed, create } = await setup();
    const hold = sim.faults.hold(CREATE);
    const pending = create('first');
    await hold.reached;
    const list = await call(sim.baseUrl, 'GET', `/databases/${seed.databaseId}/connections`, {
      auth: `Bearer ${seed.serviceToken}`,
    });
    expect(list.status).toBe(200);
    hold.release();
    expect((await pending).status).toBe(200);
    expect((await create('second')).status).toBe(200);
  });

  it('is released by close() so nothing waits forever', async () => {
    const { sim, create } = await setup();
    const hold = sim.faults.hold(CREATE, { phase: 'after-state-change' });
    const pending = create().catch((e: Error) => e);
    await hold.reached;
    await sim.close();
    await pending; // settles (response or connection error), does not hang
  });
});

describe('fault injection: drop', () => {
  it('before the state change: the connection is destroyed and nothing is created', async () => {
    const { sim, create, count, lastCreateEntry } = await setup();
    sim.faults.drop(CREATE);
    await expect(create()).rejects.toThrow();
    expect(count()).toBe(1);
    expect(sim.audit.createdCount('connection')).toBe(0);
    expect(lastCreateEntry()).toMatchObject({ outcome: 'dropped', response: null, events: [] });
    expect((await create()).status).toBe(200);
  });

  it('after the state change: the client gets no answer, but the connection exists', async () => {
    const { sim, seed, create, count, lastCreateEntry } = await setup();
    sim.faults.drop(CREATE, { phase: 'after-state-change' });
    await expect(create('orphan')).rejects.toThrow();
    expect(count()).toBe(2);
    expect(sim.state.connections(seed.databaseId)[1].name).toBe('orphan');
    expect(lastCreateEntry()).toMatchObject({ outcome: 'dropped', response: null, events: [{ type: 'created' }] });
    expect(sim.audit.createdCount('connection')).toBe(1);
  });

  it('after a Deepgram delete: the key is gone though the client saw a reset', async () => {
    const sim = await sims.deepgram();
    const seed = sim.seed();
    const other = sim.addKey(seed.projectId, { comment: 'old' });
    sim.faults.drop('DELETE /v1/projects/:project_id/keys/:key_id', { phase: 'after-state-change' });
    await expect(
      call(sim.baseUrl, 'DELETE', `/projects/${seed.projectId}/keys/${other.keyId}`, { auth: `Token ${seed.key}` }),
    ).rejects.toThrow();
    expect(sim.credentialWorks(other.key)).toBe(false);
    expect(sim.audit.revocations(other.keyId)).toHaveLength(1);
    // The retry finds it already gone.
    const retry = await call(sim.baseUrl, 'DELETE', `/projects/${seed.projectId}/keys/${other.keyId}`, {
      auth: `Token ${seed.key}`,
    });
    expect(retry.status).toBe(404);
  });
});
