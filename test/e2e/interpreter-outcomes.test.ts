// How a rotation can end besides "approved": rejected (old credential untouched), rejected with
// compensation (the new credential deleted too), approval timed out, cancelled from the client;
// and the Deepgram rotation approved through a signal. Real server, real worker, simulators.
import { WorkflowFailedError } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunProgress } from '../../src/workflows/types.js';
import {
  DEEPGRAM_DOC,
  requestsWith,
  startRun,
  startWorker,
  waitForState,
  prismaRotationInput,
} from '../support/rotation.js';
import { useSimulators } from '../support/simulators.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';

describe('interpreter: how rotations end', () => {
  let env: TemporalTestEnv;
  const sims = useSimulators();
  beforeAll(async () => {
    env = await connectTestEnv();
  });
  afterAll(async () => env?.close());

  async function prismaRun(approvalTimeout = '2m') {
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    const taskQueue = env.uniqueTaskQueue('outcome');
    const worker: Worker = await startWorker(env, taskQueue);
    const input = prismaRotationInput(prisma, seeded, taskQueue, {
      approval: { timeout: approvalTimeout },
      stepTimeout: '5s',
    });
    return { prisma, seeded, taskQueue, worker, input };
  }

  it('rejected: nothing is revoked, the old credential still works', async () => {
    const { prisma, seeded, taskQueue, worker, input } = await prismaRun();
    const result = await worker.runUntil(async () => {
      const handle = await startRun(env, taskQueue, input);
      const waiting = await waitForState(handle, 'awaiting-approval');
      await handle.executeUpdate('reject', {
        args: [
          {
            stepId: 'revokeOldConnection',
            approvalId: waiting.pendingApproval!.approvalId,
            by: 'bob',
            reason: 'not today',
          },
        ],
      });
      return handle.result();
    });
    expect(result.status).toBe('rejected');
    expect(result.message).toBe('rejected by bob: not today');
    expect(result.steps.find((s) => s.stepId === 'revokeOldConnection')?.status).toBe('skipped');
    expect(prisma.credentialWorks(seeded.connectionString)).toBe(true);
    expect(prisma.audit.revocations(seeded.connectionId)).toHaveLength(0);
    expect(prisma.audit.createdCount('connection')).toBe(1);
    expect(requestsWith(prisma, 'DELETE')).toHaveLength(0);
  });

  it('rejected with compensate: the new credential is deleted too, the old one untouched', async () => {
    const { prisma, seeded, taskQueue, worker, input } = await prismaRun();
    const result = await worker.runUntil(async () => {
      const handle = await startRun(env, taskQueue, input);
      await waitForState(handle, 'awaiting-approval');
      await handle.signal('reject', { stepId: 'revokeOldConnection', by: 'bob', reason: 'undo it', compensate: true });
      return handle.result();
    });
    expect(result.status).toBe('compensated');
    expect(result.steps.find((s) => s.stepId === 'createConnection')?.status).toBe('compensated');
    const connections = prisma.state.connections(seeded.databaseId);
    expect(connections.map((c) => c.id)).toEqual([seeded.connectionId]);
    expect(prisma.credentialWorks(seeded.connectionString)).toBe(true);
    expect(prisma.audit.createdCount('connection')).toBe(1);
    expect(prisma.audit.revocations(seeded.connectionId)).toHaveLength(0);
    const deletes = requestsWith(prisma, 'DELETE');
    expect(deletes).toHaveLength(1);
    expect(deletes[0].path).not.toContain(seeded.connectionId);
  });

  it('approval timed out: the run ends as approval-expired without any destructive request', async () => {
    const { prisma, seeded, taskQueue, worker, input } = await prismaRun('3s');
    const result = await worker.runUntil(async () => {
      const handle = await startRun(env, taskQueue, input);
      return handle.result();
    });
    expect(result.status).toBe('approval-expired');
    expect(result.approvals).toMatchObject([{ stepId: 'revokeOldConnection', decision: 'expired' }]);
    expect(requestsWith(prisma, 'DELETE')).toHaveLength(0);
    expect(prisma.credentialWorks(seeded.connectionString)).toBe(true);
  });

  it('cancelled from the client while awaiting approval: the run is Canceled and nothing is revoked', async () => {
    const { prisma, seeded, taskQueue, worker, input } = await prismaRun();
    const { error, progress } = await worker.runUntil(async () => {
      const handle = await startRun(env, taskQueue, input);
      await waitForState(handle, 'awaiting-approval');
      await handle.cancel();
      const err = await handle.result().catch((e) => e);
      const p = await handle.query<RunProgress>('progress');
      return { error: err, progress: p };
    });
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(String(error.cause?.name)).toBe('CancelledFailure');
    expect(progress.state).toBe('cancelled');
    expect(requestsWith(prisma, 'DELETE')).toHaveLength(0);
    expect(prisma.credentialWorks(seeded.connectionString)).toBe(true);
  });

  it('a signal that does not fit is ignored and recorded; the update refuses it with the reason', async () => {
    const { taskQueue, worker, input } = await prismaRun();
    await worker.runUntil(async () => {
      const handle = await startRun(env, taskQueue, input);
      const waiting = await waitForState(handle, 'awaiting-approval');
      await handle.signal('approve', { stepId: 'createConnection', by: 'mallory' });
      await handle.signal('approve', { stepId: 'revokeOldConnection', approvalId: 'stale', by: 'mallory' });
      await expect(
        handle.executeUpdate('approve', { args: [{ stepId: 'revokeOldConnection', approvalId: 'stale', by: 'eve' }] }),
      ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/^approvalId stale is stale/) } });
      const after = await handle.query<RunProgress>('progress');
      expect(after.state).toBe('awaiting-approval');
      expect(after.ignored.map((i) => i.reason)).toEqual([
        'step createConnection is not awaiting approval (pending: revokeOldConnection)',
        `approvalId stale is stale (current: ${waiting.pendingApproval!.approvalId})`,
      ]);
      await handle.signal('approve', {
        stepId: 'revokeOldConnection',
        approvalId: waiting.pendingApproval!.approvalId,
        by: 'alice',
      });
      await handle.signal('approve', {
        stepId: 'revokeOldConnection',
        approvalId: waiting.pendingApproval!.approvalId,
        by: 'alice',
      });
      const result = await handle.result();
      expect(result.status).toBe('completed');
      expect(result.approvals.filter((a) => a.decision === 'approved')).toHaveLength(1);
    });
  });

  it('Deepgram: approved through a signal, the old key is deleted and the new one authenticates', async () => {
    const deepgram = await sims.deepgram();
    const admin = deepgram.seed({ comment: 'rotation admin', scopes: ['admin'] });
    const old = deepgram.addKey(admin.projectId, { comment: 'app key', scopes: ['usage:write'] });
    const taskQueue = env.uniqueTaskQueue('deepgram');
    const worker = await startWorker(env, taskQueue);
    const result = await worker.runUntil(async () => {
      const handle = await startRun(env, taskQueue, {
        document: DEEPGRAM_DOC,
        inputs: {
          apiKey: admin.key,
          authKeyId: admin.keyId,
          projectId: admin.projectId,
          oldKeyId: old.keyId,
          comment: `rotation-${taskQueue.slice(-8)}`,
          scopes: ['usage:write'],
        },
        servers: { deepgramManagementApi: deepgram.baseUrl },
        stepTimeout: '5s',
      });
      const waiting = await waitForState(handle, 'awaiting-approval');
      expect(waiting.pendingApproval?.stepId).toBe('deleteOldKey');
      expect(waiting.pendingApproval?.url).toBe(`${deepgram.baseUrl}/projects/${admin.projectId}/keys/${old.keyId}`);
      await handle.signal('approve', {
        stepId: 'deleteOldKey',
        approvalId: waiting.pendingApproval!.approvalId,
        by: 'alice',
      });
      return handle.result();
    });
    expect(result.status).toBe('completed');
    expect(deepgram.credentialWorks(old.key)).toBe(false);
    expect(deepgram.credentialWorks(admin.key)).toBe(true);
    expect(deepgram.audit.createdCount('api-key')).toBe(1);
    expect(deepgram.audit.revocations(old.keyId)).toHaveLength(1);
    expect(deepgram.audit.minValidCredentialsAtAnyInstant({ kind: 'api-key' })).toBeGreaterThanOrEqual(1);
  });
});
