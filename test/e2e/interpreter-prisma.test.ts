// The corrected Prisma rotation end to end: real dev server, real worker, the simulator over loopback.
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSimulators } from '../support/simulators.js';
import { startRun, startWorker, waitForState, prismaRotationInput } from '../support/rotation.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';

describe('interpreter: Prisma rotation', () => {
  let env: TemporalTestEnv;
  const sims = useSimulators();
  beforeAll(async () => {
    env = await connectTestEnv();
  });
  afterAll(async () => env?.close());

  async function setUp() {
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    const taskQueue = env.uniqueTaskQueue('prisma');
    const worker: Worker = await startWorker(env, taskQueue);
    const input = prismaRotationInput(prisma, seeded, taskQueue, { approval: { timeout: '2m' }, stepTimeout: '5s' });
    return { prisma, seeded, taskQueue, worker, input };
  }

  it('runs to completion after approval, leaving exactly the new credential valid', async () => {
    const { prisma, seeded, taskQueue, worker, input } = await setUp();
    const outcome = await worker.runUntil(async () => {
      const handle = await startRun(env, taskQueue, input);
      const waiting = await waitForState(handle, 'awaiting-approval');
      expect(waiting.pendingApproval?.stepId).toBe('revokeOldConnection');
      expect(waiting.pendingApproval?.method).toBe('DELETE');
      expect(waiting.pendingApproval?.url).toBe(`${prisma.baseUrl}/connections/${seeded.connectionId}`);
      expect(waiting.steps.map((s) => [s.stepId, s.status])).toEqual([
        ['confirmDatabase', 'succeeded'],
        ['checkOldConnection', 'succeeded'],
        ['createConnection', 'succeeded'],
        ['verifyReplacement', 'succeeded'],
        ['revokeOldConnection', 'awaiting-approval'],
      ]);
      // Findable by what it waits for (visibility is eventually consistent: poll briefly).
      const query = `WorkflowId = '${handle.workflowId}' AND ArazzoStep = 'revokeOldConnection' AND ArazzoState = 'awaiting-approval' AND ArazzoWorkflowId = 'rotate-connection'`;
      let found = 0;
      for (let i = 0; i < 50 && found === 0; i++) {
        found = (await env.client.workflow.count(query)).count;
        if (found === 0) await new Promise((r) => setTimeout(r, 200));
      }
      expect(found).toBe(1);
      const answer = await handle.executeUpdate('approve', {
        args: [{ stepId: 'revokeOldConnection', approvalId: waiting.pendingApproval!.approvalId, by: 'alice' }],
      });
      expect(answer).toContain('approved revokeOldConnection');
      const result = await handle.result();
      // One upsert per state change (running, awaiting approval with its step, running, completed), not per step.
      const history = await handle.fetchHistory();
      const upserts = (history.events ?? []).flatMap((e) => {
        const fields = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {};
        const keys = Object.keys(fields).filter((k) => k.startsWith('Arazzo'));
        return keys.length ? [keys.sort().join('+')] : [];
      });
      expect(upserts).toEqual(['ArazzoState+ArazzoWorkflowId', 'ArazzoState+ArazzoStep', 'ArazzoState', 'ArazzoState']);
      const { searchAttributes } = await handle.describe();
      expect(searchAttributes).toMatchObject({
        ArazzoState: ['completed'],
        ArazzoStep: ['revokeOldConnection'],
        ArazzoWorkflowId: ['rotate-connection'],
      });
      return result;
    });
    expect(outcome.status).toBe('completed');
    expect(outcome.approvals).toMatchObject([
      { stepId: 'revokeOldConnection', decision: 'approved', by: 'alice', via: 'update' },
    ]);
    const newId = outcome.outputs.newConnectionId as string;
    expect(outcome.outputs.revokedConnectionId).toBe(seeded.connectionId);
    expect(prisma.credentialWorks(seeded.connectionString)).toBe(false);
    expect(prisma.credentialWorks(outcome.outputs.newConnectionString as string)).toBe(true);
    expect(prisma.state.connection(newId)).toBeDefined();
    expect(prisma.audit.createdCount('connection')).toBe(1);
    expect(prisma.audit.revocations(seeded.connectionId)).toHaveLength(1);
    expect(prisma.audit.minValidCredentialsAtAnyInstant({ kind: 'connection' })).toBeGreaterThanOrEqual(1);
  });
});
