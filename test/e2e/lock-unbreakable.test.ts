// The per-credential lock cannot be broken from outside. A cancel request (the Web UI's "Request
// Cancellation", `temporal workflow cancel`) is refused, and the lock says so; a terminate cannot be
// refused, so the run that held the lock notices before its destructive step and parks in
// needs-attention, while a second run that took the freed lock goes on. The simulator's audit log shows
// that the old connection was revoked once, and never by two runs at once.
import { spawnSync } from 'node:child_process';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTemporalCli } from '../../scripts/temporal-install.mjs';
import { lockQuery, lockWorkflowId } from '../../src/workflows/lock.js';
import type { ArazzoRunInput } from '../../src/workflows/types.js';
import { PRISMA_DOC, requestsWith, startRun, startWorker, waitForState } from '../support/rotation.js';
import { useSimulators } from '../support/simulators.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';

describe('the lock cannot be broken from outside', () => {
  let env: TemporalTestEnv;
  const sims = useSimulators();
  beforeAll(async () => {
    env = await connectTestEnv();
  });
  afterAll(async () => env?.close());

  it('refuses a cancel request; a terminated lock parks its holder before the DELETE while another run rotates', async () => {
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    const taskQueue = env.uniqueTaskQueue('unbreakable');
    const worker = await startWorker(env, taskQueue);
    const key = `prisma:${seeded.databaseId}:${seeded.connectionId}`;
    const input = (newName: string, onBusy: 'wait' | 'fail'): ArazzoRunInput => ({
      document: PRISMA_DOC,
      inputs: {
        apiToken: seeded.serviceToken,
        databaseId: seeded.databaseId,
        oldConnectionId: seeded.connectionId,
        newName,
      },
      servers: { prismaManagementApi: prisma.baseUrl },
      lock: { onBusy, pollInterval: '1s' },
      stepTimeout: '5s',
    });
    await worker.runUntil(async () => {
      const first = await startRun(env, taskQueue, input('rotation-first', 'wait'), `${taskQueue}-first`);
      const firstWaiting = await waitForState(first, 'awaiting-approval');
      const lock = env.client.workflow.getHandle(lockWorkflowId(key));

      // 1. Cancel, as the Web UI and the CLI send it: refused, and said so.
      const cancelled = spawnSync(
        ensureTemporalCli(),
        [
          'workflow',
          'cancel',
          '--address',
          env.address,
          '--namespace',
          env.namespace,
          '--workflow-id',
          lockWorkflowId(key),
        ],
        { encoding: 'utf8' },
      );
      expect(cancelled.status, cancelled.stderr).toBe(0);
      let view = await lock.query(lockQuery);
      for (let i = 0; i < 50 && view.cancelRequestsRefused === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        view = await lock.query(lockQuery);
      }
      expect(view).toEqual({ key, holderWorkflowId: `${taskQueue}-first`, cancelRequestsRefused: 1 });
      const described = await lock.describe();
      expect(described.status.name).toBe('RUNNING');
      expect(described.memo?.arazzoLockCancelRefused).toBe(
        `cancel request refused: this lock guards ${key} for ${taskQueue}-first and ends with it; cancel or abort the holder instead`,
      );
      // Still held: a run that will not wait is refused, without a request.
      const before = prisma.audit.entries.length;
      const refused = await startRun(env, taskQueue, input('rotation-refused', 'fail'), `${taskQueue}-refused`);
      const error = await refused.result().catch((e) => e);
      expect(error).toBeInstanceOf(WorkflowFailedError);
      expect(error.cause.message).toMatch(/^another run holds the lock/);
      expect(prisma.audit.entries.length).toBe(before);

      // 2. Terminate: the lock is gone, a second run takes it and reaches its approval.
      await lock.terminate('breaking the lock on purpose');
      const second = await startRun(env, taskQueue, input('rotation-second', 'wait'), `${taskQueue}-second`);
      const secondWaiting = await waitForState(second, 'awaiting-approval');

      // The first is approved: it does not send its DELETE, it parks and says why.
      await first.executeUpdate('approve', {
        args: [{ stepId: 'revokeOldConnection', approvalId: firstWaiting.pendingApproval!.approvalId, by: 'alice' }],
      });
      const parked = await waitForState(first, 'needs-attention');
      expect(parked.attention).toMatchObject({
        stepId: 'revokeOldConnection',
        reason: `the lock ${key} was terminated from outside before revokeOldConnection: another run may be rotating this credential, so revokeOldConnection was not sent`,
        choices: ['retryStep', 'abort'],
      });
      expect(requestsWith(prisma, 'DELETE')).toHaveLength(0);

      // The second rotates; then the first is aborted and undoes its own replacement.
      await second.executeUpdate('approve', {
        args: [{ stepId: 'revokeOldConnection', approvalId: secondWaiting.pendingApproval!.approvalId, by: 'bob' }],
      });
      expect((await second.result()).status).toBe('completed');
      await first.executeUpdate('abort', { args: [{ by: 'alice', reason: 'lock was broken', compensate: true }] });
      expect((await first.result()).status).toBe('compensated');
    });

    // The audit log: the old connection was revoked once, by the second run; the first deleted only its
    // own replacement, after the second had finished. One valid connection remains: the second's.
    const deletes = prisma.audit.entries.filter((e) => e.request?.method === 'DELETE');
    expect(deletes.map((e) => e.request!.path)).toEqual([
      `/v1/connections/${seeded.connectionId}`,
      expect.stringMatching(/^\/v1\/connections\//),
    ]);
    const valid = prisma.state.connections(seeded.databaseId);
    expect(valid.map((c) => c.name)).toEqual(['rotation-second']);
    expect(deletes[1].request!.path).not.toBe(`/v1/connections/${valid[0].id}`);
  });
});
