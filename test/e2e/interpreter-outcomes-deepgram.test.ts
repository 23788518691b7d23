// The corrected Deepgram rotation's endings besides "approved" (which interpreter-outcomes covers):
// rejected, rejected with compensation, approval timed out, cancelled. The old key keeps working in
// all of them; with compensation the new key is deleted again.
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArazzoRunInput, RunProgress } from '../../src/workflows/types.js';
import { DEEPGRAM_DOC, requestsWith, startRun, startWorker, waitForState } from '../support/rotation.js';
import { useSimulators } from '../support/simulators.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';

describe('interpreter: how a Deepgram rotation ends without approval', () => {
  let env: TemporalTestEnv;
  const sims = useSimulators();
  beforeAll(async () => {
    env = await connectTestEnv();
  });
  afterAll(async () => env?.close());

  async function deepgramRun(approvalTimeout = '2m') {
    const deepgram = await sims.deepgram();
    const admin = deepgram.seed({ comment: 'rotation admin', scopes: ['admin'] });
    const old = deepgram.addKey(admin.projectId, { comment: 'app key', scopes: ['usage:write'] });
    const taskQueue = env.uniqueTaskQueue('dg-outcome');
    const worker = await startWorker(env, taskQueue);
    const input: ArazzoRunInput = {
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
      approval: { timeout: approvalTimeout },
      stepTimeout: '5s',
    };
    const expectOldKeyUntouched = () => {
      expect(deepgram.credentialWorks(old.key)).toBe(true);
      expect(deepgram.audit.revocations(old.keyId)).toHaveLength(0);
      expect(deepgram.audit.createdCount('api-key')).toBe(1);
    };
    return { deepgram, taskQueue, worker, input, expectOldKeyUntouched };
  }

  it('rejected: the old key is not deleted and still works', async () => {
    const { deepgram, taskQueue, worker, input, expectOldKeyUntouched } = await deepgramRun();
    const result = await worker.runUntil(async () => {
      const handle = await startRun(env, taskQueue, input);
      await waitForState(handle, 'awaiting-approval');
      await handle.executeUpdate('reject', { args: [{ stepId: 'deleteOldKey', by: 'bob', reason: 'not today' }] });
      return handle.result();
    });
    expect(result.status).toBe('rejected');
    expect(requestsWith(deepgram, 'DELETE')).toHaveLength(0);
    expectOldKeyUntouched();
  });

  it('rejected with compensate: the new key is deleted, the old one untouched', async () => {
    const { deepgram, taskQueue, worker, input, expectOldKeyUntouched } = await deepgramRun();
    const result = await worker.runUntil(async () => {
      const handle = await startRun(env, taskQueue, input);
      await waitForState(handle, 'awaiting-approval');
      await handle.signal('reject', { stepId: 'deleteOldKey', by: 'bob', reason: 'undo', compensate: true });
      return handle.result();
    });
    expect(result.status).toBe('compensated');
    expect(result.steps.find((s) => s.stepId === 'createReplacementKey')?.status).toBe('compensated');
    const deletes = requestsWith(deepgram, 'DELETE');
    expect(deletes).toHaveLength(1);
    const newKeyId = deletes[0].path.split('/').pop()!;
    expect(deepgram.state.key(newKeyId)?.deleted).toBe(true);
    expectOldKeyUntouched();
  });

  it('approval timed out: approval-expired, no DELETE sent', async () => {
    const { deepgram, taskQueue, worker, input, expectOldKeyUntouched } = await deepgramRun('3s');
    const result = await worker.runUntil(async () => (await startRun(env, taskQueue, input)).result());
    expect(result.status).toBe('approval-expired');
    expect(requestsWith(deepgram, 'DELETE')).toHaveLength(0);
    expectOldKeyUntouched();
  });

  it('cancelled from the client while awaiting approval: Canceled, state cancelled, no DELETE sent', async () => {
    const { deepgram, taskQueue, worker, input, expectOldKeyUntouched } = await deepgramRun();
    const { error, progress } = await worker.runUntil(async () => {
      const handle = await startRun(env, taskQueue, input);
      await waitForState(handle, 'awaiting-approval');
      await handle.cancel();
      const err = await handle.result().catch((e) => e);
      return { error: err, progress: await handle.query<RunProgress>('progress') };
    });
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(String(error.cause?.name)).toBe('CancelledFailure');
    expect(progress.state).toBe('cancelled');
    expect(requestsWith(deepgram, 'DELETE')).toHaveLength(0);
    expectOldKeyUntouched();
  });
});
