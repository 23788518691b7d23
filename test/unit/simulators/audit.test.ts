// The audit log: complete, ordered, redacted, and able to answer the rotation invariants.
import { describe, expect, it } from 'vitest';
import { MASK } from '../../../src/simulators/index.js';
import { call, containsNone, passwordOf, useSimulators } from '../../support/simulators.js';

const sims = useSimulators();

describe('audit log', () => {
  it('records every request and response with seq, timestamp, masked Authorization and masked secrets', async () => {
    const sim = await sims.prisma();
    const seed = sim.seed();
    const auth = `Bearer ${seed.serviceToken}`;
    const created = await call(sim.baseUrl, 'POST', `/databases/${seed.databaseId}/connections`, {
      auth,
      body: { name: 'abc' },
    });
    await call(sim.baseUrl, 'GET', `/databases/${seed.databaseId}/connections`, { auth, query: { limit: '5' } });
    await call(sim.baseUrl, 'GET', `/databases/${seed.databaseId}`, { auth: 'Bearer wrong-token-123' });

    const http = sim.audit.entries.filter((e) => e.source === 'http');
    expect(http.map((e) => [e.request?.method, e.route, e.response?.status])).toEqual([
      ['POST', 'POST /v1/databases/:databaseId/connections', 200],
      ['GET', 'GET /v1/databases/:databaseId/connections', 200],
      ['GET', 'GET /v1/databases/:databaseId', 401],
    ]);
    const seqs = sim.audit.entries.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    for (const e of http) {
      expect(Number.isNaN(Date.parse(e.at))).toBe(false);
      expect(e.request?.headers.authorization).toBe(`Bearer ${MASK}`);
    }
    expect(http[1].request?.query).toEqual({ limit: '5' });
    expect(http[0].request?.body).toEqual({ name: 'abc' });
    expect(http[0].authenticatedAs).toBeUndefined(); // service tokens are not rotated credentials
    const createdBody = http[0].response!.body as any;
    expect(createdBody.data.pass).toBe(MASK);
    expect(createdBody.data.endpoints.direct.connectionString).toContain(`:${MASK}@`);

    const secrets = [
      seed.serviceToken,
      passwordOf(seed.connectionString),
      passwordOf(created.body.data.endpoints.direct.connectionString),
      'wrong-token-123',
    ];
    expect(containsNone(JSON.stringify(sim.audit.entries), secrets)).toBe(true);
  });

  it('masks Deepgram keys and records which key authenticated', async () => {
    const sim = await sims.deepgram();
    const seed = sim.seed();
    const r = await call(sim.baseUrl, 'POST', `/projects/${seed.projectId}/keys`, {
      auth: `Token ${seed.key}`,
      body: { comment: 'new', scopes: ['member'] },
    });
    const entry = sim.audit.entries.at(-1)!;
    expect(entry.authenticatedAs).toBe(seed.keyId);
    expect((entry.response!.body as any).key).toBe(MASK);
    expect(entry.validCredentials.map((c) => c.id).sort()).toEqual([seed.keyId, r.body.api_key_id].sort());
    expect(containsNone(JSON.stringify(sim.audit.entries), [seed.key, r.body.key])).toBe(true);
  });

  it('counts creations and revocations, and sees the valid-credential floor of a safe and an unsafe rotation', async () => {
    const sim = await sims.prisma();
    const a = sim.seed();
    const b = sim.seed({ serviceToken: a.serviceToken });
    const auth = `Bearer ${a.serviceToken}`;

    // Safe (database a): create the replacement, then delete the old one.
    await call(sim.baseUrl, 'POST', `/databases/${a.databaseId}/connections`, { auth, body: { name: 'new-a' } });
    await call(sim.baseUrl, 'DELETE', `/connections/${a.connectionId}`, { auth });
    expect(sim.audit.minValidCredentialsAtAnyInstant({ scope: a.databaseId })).toBe(1);

    // Unsafe (database b): delete first, then create: an instant with no working connection string.
    await call(sim.baseUrl, 'DELETE', `/connections/${b.connectionId}`, { auth });
    await call(sim.baseUrl, 'POST', `/databases/${b.databaseId}/connections`, { auth, body: { name: 'new-b' } });
    expect(sim.audit.minValidCredentialsAtAnyInstant({ scope: b.databaseId })).toBe(0);
    expect(sim.audit.minValidCredentialsAtAnyInstant()).toBe(0);

    expect(sim.audit.createdCount('connection')).toBe(2);
    expect(sim.audit.createdCount('connection', { scope: a.databaseId })).toBe(1);
    expect(sim.audit.revocations(a.connectionId)).toHaveLength(1);
    expect(sim.audit.revocations(a.connectionId)[0].route).toBe('DELETE /v1/connections/:id');
    expect(sim.audit.revocations('con_cnever00000000')).toHaveLength(0);
  });

  it('orders state changes as they happened even when a held response completes later', async () => {
    const sim = await sims.prisma();
    const seed = sim.seed();
    const auth = `Bearer ${seed.serviceToken}`;
    const hold = sim.faults.hold('POST /v1/databases/:databaseId/connections', { phase: 'after-state-change' });
    const pending = call(sim.baseUrl, 'POST', `/databases/${seed.databaseId}/connections`, {
      auth,
      body: { name: 'new-1' },
    });
    await hold.reached;
    // The old one is deleted while the create's response is still held: still one valid at every instant.
    await call(sim.baseUrl, 'DELETE', `/connections/${seed.connectionId}`, { auth });
    hold.release();
    await pending;
    const [createEntry, deleteEntry] = sim.audit.entries.filter((e) => e.source === 'http');
    expect(createEntry.seq).toBeLessThan(deleteEntry.seq);
    expect(createEntry.events[0].type).toBe('created');
    expect(sim.audit.minValidCredentialsAtAnyInstant({ scope: seed.databaseId })).toBe(1);
  });
});
