// A managed credential rotated by its schedule (short intervals), end to end against the simulators: each
// rotation is a child run that waits for approval; after each, x-managed carries the new id forward, so the
// next rotation revokes what the last one created. Three rotations leave exactly one valid credential, the
// third's. A rotate-now during a scheduled rotation does not start a second one.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressQuery } from '../../src/workflows/contract.js';
import { managedQuery, rotationWorkflowId } from '../../src/workflows/managed-contract.js';
import { approveRotation, startManaged, waitForManaged } from '../support/managed.js';
import {
  DEEPGRAM_DOC,
  managedPrismaRun,
  requestsWith,
  startWorker,
  testPolicy,
  waitForState,
} from '../support/rotation.js';
import { useSimulators } from '../support/simulators.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';

const secrets = { envAllow: ['ARAZZO_E2E_MANAGED_*'], hostBindings: [] };

describe('managed credentials', () => {
  let env: TemporalTestEnv;
  const sims = useSimulators();
  beforeAll(async () => {
    env = await connectTestEnv();
  });
  afterAll(async () => env?.close());

  it('Prisma: three scheduled rotations, each approved, leave exactly one valid connection, the third', async () => {
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    const taskQueue = env.uniqueTaskQueue('managed-prisma');
    const worker = await startWorker(env, taskQueue, testPolicy({ secrets }));
    const lockKey = `prisma:${seeded.databaseId}:${seeded.connectionId}`;
    await worker.runUntil(async () => {
      const managed = await startManaged(env, taskQueue, lockKey, {
        run: {
          ...managedPrismaRun(prisma, seeded, 'ARAZZO_E2E_MANAGED_PRISMA', 'app-db'),
          stepTimeout: '5s',
        },
        every: '2s',
      });
      // Scheduled once the document was checked (its first task loads it).
      const first = await waitForManaged(managed, (v) => v.state === 'scheduled');
      expect(Date.parse(first.nextDueAt!)).toBeGreaterThan(Date.now() - 1000);
      // A rotate-now while rotation 1 runs is refused (onBusy "refuse", the default), naming the rotation.
      const running = await waitForManaged(managed, (v) => v.current?.number === 1);
      const refused = await managed.executeUpdate('rotateNow', { args: [{ by: 'bob' }] }).catch((e: Error) => e);
      expect((refused as WorkflowUpdateFailedError).cause?.message).toBe(
        `rotation 1 (${running.current!.workflowId}) is running; one rotation at a time (onBusy: refuse)`,
      );
      for (const n of [1, 2, 3]) await approveRotation(env, managed, n, `approver-${n}`);
      // What it holds: identifiers, and the token as a reference, never its value.
      const view = JSON.stringify(await managed.query(managedQuery));
      expect(view).not.toContain(seeded.serviceToken);
      expect(view).toContain('env:ARAZZO_E2E_MANAGED_PRISMA');
      await managed.executeUpdate('retire', { args: [{ by: 'test', reason: 'three are enough' }] });
      const result = await managed.result();
      expect(result.state).toBe('retired');
      expect(result.completed).toBe(3);
      expect(
        result.history.map((h: { status: string; trigger: string; approvedBy: string[] }) => [
          h.status,
          h.trigger,
          h.approvedBy,
        ]),
      ).toEqual([
        ['completed', 'schedule', ['approver-1']],
        ['completed', 'schedule', ['approver-2']],
        ['completed', 'schedule', ['approver-3']],
      ]);
      // Each rotation revoked what the previous one created: the carried ids chain.
      const carried = result.history.map((h: { carried: { oldConnectionId: string } }) => h.carried.oldConnectionId);
      const valid = prisma.state.connections(seeded.databaseId);
      expect(valid.map((c) => [c.id, c.name])).toEqual([[carried[2], 'app-db-3']]);
      expect(result.inputs.oldConnectionId).toBe(carried[2]);
      expect(requestsWith(prisma, 'DELETE').map((r) => r.path)).toEqual([
        `/v1/connections/${seeded.connectionId}`,
        `/v1/connections/${carried[0]}`,
        `/v1/connections/${carried[1]}`,
      ]);
    });
  });

  it('Deepgram: three scheduled rotations, each approved, leave exactly one valid key besides the admin key, the third', async () => {
    const deepgram = await sims.deepgram();
    const admin = deepgram.seed({ scopes: ['admin'] });
    const old = deepgram.addKey(admin.projectId, { scopes: ['usage:write'] });
    process.env.ARAZZO_E2E_MANAGED_DEEPGRAM = admin.key;
    const taskQueue = env.uniqueTaskQueue('managed-deepgram');
    const worker = await startWorker(env, taskQueue, testPolicy({ secrets }));
    await worker.runUntil(async () => {
      const managed = await startManaged(env, taskQueue, `deepgram:${admin.projectId}:${old.keyId}`, {
        run: {
          document: DEEPGRAM_DOC,
          inputs: {
            apiKey: { $secret: 'env:ARAZZO_E2E_MANAGED_DEEPGRAM' },
            authKeyId: admin.keyId,
            projectId: admin.projectId,
            oldKeyId: old.keyId,
            comment: 'transcriber',
            scopes: ['usage:write'],
          },
          servers: { deepgramManagementApi: deepgram.baseUrl },
          stepTimeout: '5s',
        },
        every: '2s',
        // Low: it continues as new between rotations, and carries everything across.
        continueAsNewAfterEvents: 30,
        historyLimit: 2,
      });
      for (const n of [1, 2, 3]) await approveRotation(env, managed, n, 'alice');
      await managed.executeUpdate('retire', { args: [{ by: 'test' }] });
      const result = await managed.result();
      expect(result.completed).toBe(3);
      // The history is bounded (historyLimit 2): the newest two, the first counted as dropped.
      expect(
        result.history.map((h: { number: number; status: string; approvedBy: string[] }) => [
          h.number,
          h.status,
          h.approvedBy,
        ]),
      ).toEqual([
        [2, 'completed', ['alice']],
        [3, 'completed', ['alice']],
      ]);
      const view = await managed.query(managedQuery);
      expect([view.historyDropped, view.started]).toEqual([1, 3]);
      // It continued as new at least once, and nothing was lost on the way.
      expect((await managed.describe()).runId).not.toBe(managed.firstExecutionRunId);
      const third = result.history[1].carried.oldKeyId as string;
      const live = deepgram.state.keys(admin.projectId).filter((k) => !k.deleted && k.id !== admin.keyId);
      expect(live.map((k) => [k.id, k.comment])).toEqual([[third, 'transcriber-3']]);
    });
  });

  it('a rotate-now during a scheduled rotation is refused (onBusy refuse) or queued (onBusy queue), never run alongside', async () => {
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    const taskQueue = env.uniqueTaskQueue('managed-busy');
    const worker = await startWorker(env, taskQueue, testPolicy({ secrets }));
    const lockKey = `prisma:${seeded.databaseId}:${seeded.connectionId}`;
    await worker.runUntil(async () => {
      const managed = await startManaged(env, taskQueue, lockKey, {
        run: {
          ...managedPrismaRun(prisma, seeded, 'ARAZZO_E2E_MANAGED_PRISMA2', 'busy'),
          stepTimeout: '5s',
        },
        every: '1h',
        firstDueAt: new Date(Date.now() + 1000).toISOString(),
        onBusy: 'queue',
      });
      const rotating = await waitForManaged(managed, (v) => v.current?.number === 1);
      await waitForState(env.client.workflow.getHandle(rotating.current!.workflowId), 'awaiting-approval');
      // The first rotate-now is queued; a second one while it is queued is refused, as is a signal.
      const queued = await managed.executeUpdate('rotateNow', { args: [{ by: 'bob' }] });
      expect(queued).toBe('rotate-now queued: starts when rotation 1 ends');
      const refused = await managed.executeUpdate('rotateNow', { args: [{ by: 'carol' }] }).catch((e: Error) => e);
      expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((refused as WorkflowUpdateFailedError).cause?.message).toBe('a rotate-now by bob is already queued');
      await managed.signal('rotateNow', { by: 'dave' });
      // Only one rotation has started: one create, and no second rotation workflow.
      await new Promise((r) => setTimeout(r, 1500));
      expect(requestsWith(prisma, 'POST')).toHaveLength(1);
      const second = env.client.workflow.getHandle(rotationWorkflowId(managed.workflowId, 2));
      expect(await second.describe().catch((e) => e.name)).toBe('WorkflowNotFoundError');
      const view = await managed.query(managedQuery);
      expect(view.events.map((e) => [e.what, e.by])).toEqual([
        ['rotate-now queued: starts when rotation 1 ends', 'bob'],
        ['rotate-now refused: a rotate-now by bob is already queued', 'dave'],
      ]);
      // Rotation 1 ends; the queued one starts after it, on the new connection.
      await approveRotation(env, managed, 1, 'alice');
      const after = await approveRotation(env, managed, 2, 'alice');
      expect(after.history.map((h) => [h.number, h.trigger, h.by, h.status])).toEqual([
        [1, 'schedule', undefined, 'completed'],
        [2, 'rotate-now', 'bob', 'completed'],
      ]);
      // The rotations never overlapped: each started after the previous one ended.
      expect(Date.parse(after.history[1].startedAt)).toBeGreaterThanOrEqual(Date.parse(after.history[0].endedAt!));
      expect(prisma.state.connections(seeded.databaseId).map((c) => c.name)).toEqual(['busy-2']);
      await managed.executeUpdate('retire', { args: [{ by: 'test' }] });
      await managed.result();
    });
  });
  it('a rejected rotation leaves the current credential and is tried again after a back-off, not at once', async () => {
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    const taskQueue = env.uniqueTaskQueue('managed-backoff');
    const worker = await startWorker(env, taskQueue, testPolicy({ secrets }));
    await worker.runUntil(async () => {
      const managed = await startManaged(env, taskQueue, `prisma:${seeded.databaseId}:${seeded.connectionId}`, {
        run: {
          ...managedPrismaRun(prisma, seeded, 'ARAZZO_E2E_MANAGED_PRISMA3', 'backoff'),
          stepTimeout: '5s',
        },
        every: '1h',
        firstDueAt: new Date(Date.now() + 500).toISOString(),
        retry: { initial: '4s' },
      });
      const rotating = await waitForManaged(managed, (v) => v.current?.number === 1);
      const first = env.client.workflow.getHandle(rotating.current!.workflowId);
      await waitForState(first, 'awaiting-approval');
      await first.executeUpdate('reject', {
        args: [{ stepId: 'revokeOldConnection', by: 'alice', reason: 'not now', compensate: true }],
      });
      const backingOff = await waitForManaged(managed, (v) => v.history.length === 1);
      expect(backingOff.state).toBe('backing-off');
      expect(backingOff.inputs.oldConnectionId).toBe(seeded.connectionId);
      const retryAt = Date.parse(backingOff.nextDueAt!);
      expect(retryAt - Date.parse(backingOff.history[0].endedAt!)).toBe(4000);
      expect(backingOff.history[0]).toMatchObject({
        status: 'compensated',
        message: expect.stringMatching(/; the current credential stays; next attempt \d{4}-.*Z$/),
      });
      expect(backingOff.history[0].message).toContain(backingOff.nextDueAt!);
      // Not a hot loop: nothing starts before the back-off is over.
      await new Promise((r) => setTimeout(r, 2000));
      expect((await managed.query(managedQuery)).started).toBe(1);
      const after = await approveRotation(env, managed, 2, 'alice');
      expect(after.history.map((h) => [h.number, h.trigger, h.status])).toEqual([
        [1, 'schedule', 'compensated'],
        [2, 'retry', 'completed'],
      ]);
      expect(Date.parse(after.history[1].startedAt)).toBeGreaterThanOrEqual(retryAt);
      expect([after.state, after.failuresInRow]).toEqual(['scheduled', 0]);
      expect(prisma.state.connections(seeded.databaseId).map((c) => c.name)).toEqual(['backoff-2']);
      await managed.executeUpdate('retire', { args: [{ by: 'test' }] });
      await managed.result();
    });
  });

  it('the managed credential refuses a cancel request; terminated, its rotation finishes and a new one waits for the lock', async () => {
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    const taskQueue = env.uniqueTaskQueue('managed-guard');
    const worker = await startWorker(env, taskQueue, testPolicy({ secrets }));
    const lockKey = `prisma:${seeded.databaseId}:${seeded.connectionId}`;
    const input = (newName: string) => ({
      run: {
        ...managedPrismaRun(prisma, seeded, 'ARAZZO_E2E_MANAGED_PRISMA4', newName),
        stepTimeout: '5s',
        lock: { pollInterval: '1s' },
      },
      every: '1h',
      firstDueAt: new Date(Date.now() + 500).toISOString(),
      retry: { initial: '1h' },
    });
    await worker.runUntil(async () => {
      const managed = await startManaged(env, taskQueue, lockKey, input('first'));
      const rotating = await waitForManaged(managed, (v) => v.current?.number === 1);
      const rotation = env.client.workflow.getHandle(rotating.current!.workflowId);
      const waiting = await waitForState(rotation, 'awaiting-approval');
      await managed.cancel();
      const refused = await waitForManaged(managed, (v) => v.events.length > 0);
      expect(refused.events[0].what).toBe(
        'cancel request refused: retire the managed credential instead (managed retire)',
      );
      expect((await managed.describe()).status.name).toBe('RUNNING');

      // Terminated: its rotation goes on (abandoned, not ended), holding the credential's lock. Managed
      // again under the same id, the new run does not start a second rotation beside it.
      await managed.terminate('test: the guard is broken on purpose');
      const again = await startManaged(env, taskQueue, lockKey, input('second'));
      const refusedRotation = await waitForManaged(again, (v) => v.history.length === 1);
      expect(refusedRotation.history[0]).toMatchObject({
        number: 1,
        status: 'failed',
        message: expect.stringMatching(
          new RegExp(
            `^${rotating.current!.workflowId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is still running \\(started by an earlier run of this managed credential that was terminated\\); no second rotation was started; the current credential stays; next attempt `,
          ),
        ),
      });
      expect(refusedRotation.state).toBe('backing-off');
      // A rotate-now asked of it while the abandoned rotation runs meets the lock: its run waits, sending nothing.
      await again.executeUpdate('rotateNow', { args: [{ by: 'bob' }] });
      const second = await waitForManaged(again, (v) => v.current?.number === 2);
      await new Promise((r) => setTimeout(r, 2500));
      const secondProgress = await env.client.workflow.getHandle(second.current!.workflowId).query(progressQuery);
      expect(secondProgress.steps.every((s) => s.status === 'pending')).toBe(true);
      expect(requestsWith(prisma, 'POST')).toHaveLength(1);

      await rotation.executeUpdate('approve', {
        args: [{ stepId: 'revokeOldConnection', approvalId: waiting.pendingApproval!.approvalId, by: 'alice' }],
      });
      expect((await rotation.result()).status).toBe('completed');
      // Then it takes the lock and finds the old connection gone: it stops at its check, before creating
      // anything, and backs off.
      const failed = await waitForManaged(again, (v) => v.history.length === 2);
      expect(failed.history[1].status).toBe('failed');
      expect(failed.history[1].message).toMatch(/checkOldConnection/);
      await again.executeUpdate('retire', { args: [{ by: 'test' }] });
      await again.result();
    });
    // The audit log: the old connection revoked once; one create; one valid connection, the first rotation's.
    expect(requestsWith(prisma, 'DELETE').map((r) => r.path)).toEqual([`/v1/connections/${seeded.connectionId}`]);
    expect(requestsWith(prisma, 'POST')).toHaveLength(1);
    expect(prisma.state.connections(seeded.databaseId).map((c) => c.name)).toEqual(['first-1']);
  });
  it("a calendar schedule: the next due time is the cron expression's next match (UTC); a bad one is refused", async () => {
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    const taskQueue = env.uniqueTaskQueue('managed-cron');
    const worker = await startWorker(env, taskQueue, testPolicy({ secrets }));
    const run = {
      ...managedPrismaRun(prisma, seeded, 'ARAZZO_E2E_MANAGED_PRISMA5', 'cron'),
    };
    await worker.runUntil(async () => {
      const before = Date.now();
      const managed = await startManaged(env, taskQueue, `prisma:${seeded.databaseId}:${seeded.connectionId}`, {
        run,
        cron: '0 3 1 * *',
      });
      const view = await waitForManaged(managed, (v) => v.state === 'scheduled');
      const due = new Date(view.nextDueAt!);
      expect([due.getUTCDate(), due.getUTCHours(), due.getUTCMinutes()]).toEqual([1, 3, 0]);
      expect(due.getTime() - before).toBeLessThanOrEqual(31 * 24 * 3600_000);
      expect(view.cron).toBe('0 3 1 * *');
      await managed.executeUpdate('retire', { args: [{ by: 'test' }] });
      await managed.result();
      const bad = await startManaged(env, taskQueue, `bad-cron-${taskQueue}`, { run, cron: '0 3 1 *' });
      const error = await bad.result().catch((e) => e);
      expect(error.cause.message).toBe(
        'cron: "0 3 1 *" has 4 fields; a cron expression has 5: minute hour day-of-month month day-of-week',
      );
      expect(prisma.audit.entries.filter((e) => e.source === 'http')).toEqual([]);
    });
  });
});
