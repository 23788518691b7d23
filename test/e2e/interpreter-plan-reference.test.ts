// Steps are scheduled by reference to the plan recorded in the run's history, not as copies of it.
// A worker that did not load the plan (here: a second worker with its own activities, after the first
// one stopped at the approval) reads it back from that history and finishes the rotation.
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunStepInput } from '../../src/activities/index.js';
import { prismaRotationInput, startRun, startWorker, waitForState } from '../support/rotation.js';
import { useSimulators } from '../support/simulators.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';

describe('interpreter: steps by reference to the recorded plan', () => {
  let env: TemporalTestEnv;
  const sims = useSimulators();
  beforeAll(async () => {
    env = await connectTestEnv();
  });
  afterAll(async () => env?.close());

  it('a worker that never loaded the plan runs the revocation from the plan in history', async () => {
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    const taskQueue = env.uniqueTaskQueue('plan-ref');
    const input = prismaRotationInput(prisma, seeded, taskQueue, { approval: { timeout: '2m' }, stepTimeout: '5s' });

    const first = await startWorker(env, taskQueue);
    const { handle, waiting } = await first.runUntil(async () => {
      const handle = await startRun(env, taskQueue, input);
      return { handle, waiting: await waitForState(handle, 'awaiting-approval') };
    });

    // A fresh set of activities knows no plan: the DELETE can only come from the run's history.
    const second = await startWorker(env, taskQueue);
    const outcome = await second.runUntil(async () => {
      await handle.executeUpdate('approve', {
        args: [{ stepId: 'revokeOldConnection', approvalId: waiting.pendingApproval!.approvalId, by: 'alice' }],
      });
      return handle.result();
    });
    expect(outcome.status).toBe('completed');
    expect(prisma.credentialWorks(seeded.connectionString)).toBe(false);
    expect(prisma.audit.entries.filter((e) => e.request?.method === 'DELETE')).toHaveLength(1);

    // What history holds for each step: a reference and the values the step names, no operation copy.
    const history = await handle.fetchHistory();
    const scheduled: RunStepInput[] = [];
    for (const event of history.events ?? []) {
      const attributes = event.activityTaskScheduledEventAttributes;
      if (attributes?.activityType?.name !== 'runStep') continue;
      const converter = env.client.options.loadedDataConverter;
      scheduled.push(await decodeFromPayloadsAtIndex<RunStepInput>(converter, 0, attributes.input?.payloads));
    }
    expect(scheduled.map((s) => s.stepId)).toEqual([
      'confirmDatabase',
      'checkOldConnection',
      'createConnection',
      'verifyReplacement',
      'revokeOldConnection',
    ]);
    for (const step of scheduled) {
      expect(step.call).toBeUndefined();
      expect(step.judge).toBeUndefined();
      // The first step is scheduled with the lock's start: its reference travels with the lock to confirm.
      expect(step.ref ?? step.underLock?.ref).toMatchObject({
        workflowId: 'rotate-connection',
        stepId: step.stepId,
        part: 'step',
      });
    }
    expect(scheduled.map((s) => s.underLock?.lockWorkflowId)).toEqual([
      `arazzo-lock:prisma:${seeded.databaseId}:${seeded.connectionId}`,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    const revoke = scheduled.at(-1)!;
    // The revocation names the token and the old connection: not the database id or the new name.
    expect(Object.keys(revoke.context.inputs).sort()).toEqual(['apiToken', 'oldConnectionId']);
    expect(revoke.context.steps).toEqual({});
  });
});
