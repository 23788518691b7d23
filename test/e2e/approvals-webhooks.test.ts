// Approval notices end to end: a worker with two webhooks (Slack-compatible and generic JSON) on a
// loopback receiver that fails the first two posts of every notice. Each webhook still gets exactly
// one "waiting" and one outcome notice; with the receiver down for good the run waits all the same
// and can be approved. The worker has no approval policy here, so the prompt says approvals are not
// authenticated.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../src/activities/index.js';
import { webhookName } from '../../src/activities/notify-approval.js';
import { approveUpdate } from '../../src/workflows/contract.js';
import { useSimulators } from '../support/simulators.js';
import { prismaRotationInput, requestsWith, startRun, testPolicy, waitForState } from '../support/rotation.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';

interface Received {
  path: string;
  body: Record<string, unknown>;
}

/** Answers 500 to the first `failFirst` posts of each distinct body on each path, then 204; keeps what it accepted. */
async function startReceiver(failFirst: number) {
  const attempts = new Map<string, number>();
  const accepted: Received[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      const key = `${req.url} ${text}`;
      const seen = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, seen);
      if (seen <= failFirst) {
        res.writeHead(500).end('not yet');
        return;
      }
      accepted.push({ path: req.url ?? '', body: JSON.parse(text) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, accepted, attempts, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('approval notices to webhooks', () => {
  let env: TemporalTestEnv;
  const sims = useSimulators();
  beforeAll(async () => {
    env = await connectTestEnv();
  });
  afterAll(async () => env?.close());

  it('each webhook gets exactly one "waiting" and one "approved" notice, although it fails twice first', async () => {
    const receiver = await startReceiver(2);
    const prisma = await sims.prisma();
    const taskQueue = env.uniqueTaskQueue('webhooks');
    const approvalWebhooks = [
      { format: 'slack' as const, url: `${receiver.base}/slack/T000/SECRET-TOKEN` },
      { format: 'json' as const, url: `${receiver.base}/json` },
    ];
    const worker = await env.createWorker({
      taskQueue,
      activities: createActivities(testPolicy({ approvalWebhooks, uiBase: 'http://ui.example:8233' })),
    });
    try {
      const result = await worker.runUntil(async () => {
        const handle = await startRun(env, taskQueue, prismaRotationInput(prisma, prisma.seed(), taskQueue));
        const waiting = await waitForState(handle, 'awaiting-approval');
        const pending = waiting.pendingApproval!;
        expect(pending.authenticated).toBe(false);
        expect(pending.notice).toMatch(/approvals are NOT authenticated/);
        // Both webhooks got the waiting notice after two failures each (retried with backoff: 1 s, 2 s).
        for (let i = 0; i < 100 && receiver.accepted.length < 2; i++) await new Promise((r) => setTimeout(r, 200));
        const waitingNotices = receiver.accepted.map((r) => r.path);
        expect(waitingNotices.sort()).toEqual(['/json', '/slack/T000/SECRET-TOKEN']);
        await handle.executeUpdate(approveUpdate, {
          args: [{ stepId: pending.stepId, approvalId: pending.approvalId, by: 'alice' }],
        });
        return { result: await handle.result(), pending, workflowId: handle.workflowId };
      });
      expect(result.result.status).toBe('completed');
      const json = receiver.accepted.filter((r) => r.path === '/json').map((r) => r.body);
      const slack = receiver.accepted.filter((r) => r.path !== '/json').map((r) => r.body);
      expect(json.map((b) => b.event)).toEqual(['approval.waiting', 'approval.approved']);
      expect(json[0]).toMatchObject({
        workflowId: result.workflowId,
        stepId: 'revokeOldConnection',
        approvalId: result.pending.approvalId,
        request: { method: 'DELETE', url: result.pending.url },
        expiresAt: result.pending.expiresAt,
        authenticated: false,
        runLink: expect.stringMatching(/^http:\/\/ui\.example:8233\/namespaces\/.+\/workflows\/.+\/history$/),
        approveCommand: expect.stringContaining('temporal workflow signal'),
      });
      expect(json[1]).toMatchObject({ event: 'approval.approved', by: ['alice'] });
      expect(slack).toHaveLength(2);
      expect(slack[0].text).toMatch(/^Approval needed: .* step revokeOldConnection waits to send DELETE /);
      expect(slack[1].text).toMatch(/approved by alice/);
      // Two failures then one success, per notice and webhook: four notices, twelve posts.
      expect([...receiver.attempts.values()]).toEqual([3, 3, 3, 3]);
      // A webhook is named by its origin only: Slack-style URLs carry their token in the path.
      expect(webhookName(approvalWebhooks[0].url)).toBe(`${receiver.base}/…`);
    } finally {
      await receiver.close();
    }
  });

  it('an approval that expires is notified as expired; nothing is deleted', async () => {
    const receiver = await startReceiver(0);
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    const taskQueue = env.uniqueTaskQueue('webhooks-expired');
    const worker = await env.createWorker({
      taskQueue,
      activities: createActivities(
        testPolicy({ approvalWebhooks: [{ format: 'json', url: `${receiver.base}/json` }] }),
      ),
    });
    try {
      const input = prismaRotationInput(prisma, seeded, taskQueue, { approval: { timeout: '2s' } });
      const result = await worker.runUntil(async () => (await startRun(env, taskQueue, input)).result());
      expect(result.status).toBe('approval-expired');
      expect(receiver.accepted.map((r) => [r.body.event, r.body.reason])).toEqual([
        ['approval.waiting', undefined],
        ['approval.expired', 'not decided within 2s'],
      ]);
      expect(requestsWith(prisma, 'DELETE')).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  });

  it('with the receiver down for good, the run still waits and can be approved', async () => {
    const receiver = await startReceiver(0);
    await receiver.close(); // nothing listens there any more
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    const taskQueue = env.uniqueTaskQueue('webhooks-down');
    const worker = await env.createWorker({
      taskQueue,
      activities: createActivities(
        testPolicy({ approvalWebhooks: [{ format: 'json', url: `${receiver.base}/json` }] }),
      ),
    });
    const result = await worker.runUntil(async () => {
      const handle = await startRun(env, taskQueue, prismaRotationInput(prisma, seeded, taskQueue));
      const pending = (await waitForState(handle, 'awaiting-approval')).pendingApproval!;
      await handle.executeUpdate(approveUpdate, {
        args: [{ stepId: pending.stepId, approvalId: pending.approvalId, by: 'alice' }],
      });
      return handle.result();
    });
    expect(result.status).toBe('completed');
    expect(requestsWith(prisma, 'DELETE').filter((r) => r.path.endsWith(seeded.connectionId))).toHaveLength(1);
  });
});
