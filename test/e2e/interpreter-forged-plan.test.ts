// Whoever may start a run must not be able to make the worker call hosts it never agreed to: a plan
// forged in the run's input (which skips loadPlan and its checks) is refused by the step activity
// before anything is sent, with or without secrets involved.
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLoadPlan } from '../../src/activities/load-plan.js';
import { PRISMA_DOC, startRun, startWorker, testPolicy } from '../support/rotation.js';
import { useSimulators } from '../support/simulators.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';

describe('interpreter: plans forged in a run input', () => {
  let env: TemporalTestEnv;
  const sims = useSimulators();
  beforeAll(async () => {
    env = await connectTestEnv();
  });
  afterAll(async () => env?.close());

  const httpRequests = (sim: { audit: { entries: ReadonlyArray<{ source: string }> } }) =>
    sim.audit.entries.filter((e) => e.source === 'http').length;

  async function legitPlan(prisma: Awaited<ReturnType<typeof sims.prisma>>) {
    const seeded = prisma.seed();
    return makeLoadPlan(testPolicy())({
      document: PRISMA_DOC,
      inputs: {
        apiToken: seeded.serviceToken,
        databaseId: seeded.databaseId,
        oldConnectionId: seeded.connectionId,
        newName: 'forged-plan',
      },
    });
  }

  async function run(input: Parameters<typeof startRun>[2]) {
    const taskQueue = env.uniqueTaskQueue('forged');
    const worker = await startWorker(env, taskQueue);
    const error = await worker.runUntil(async () => (await startRun(env, taskQueue, input)).result().catch((e) => e));
    expect(error).toBeInstanceOf(WorkflowFailedError);
    return (error as WorkflowFailedError).cause as { type?: string; message: string };
  }

  it('refuses an operation whose server was changed (its seal no longer verifies), with zero requests', async () => {
    const prisma = await sims.prisma();
    const attacker = await sims.prisma();
    const loaded = await legitPlan(prisma);
    const forged = structuredClone(loaded.plan);
    for (const step of forged.workflows[forged.workflowId].steps) {
      if (step.operation) step.operation.serverUrl = attacker.baseUrl;
    }
    const failure = await run({
      document: PRISMA_DOC,
      plan: forged,
      inputs: loaded.inputs,
      approval: { mode: 'none' },
    });
    expect(failure.type).toBe('RequestBuildError');
    expect(failure.message).toBe(
      `step confirmDatabase: the operation was not planned by this worker (no valid seal): refusing to call ${attacker.baseUrl}; nothing was sent`,
    );
    expect(httpRequests(attacker)).toBe(0);
    expect(httpRequests(prisma)).toBe(0);
  });

  it('refuses a server override on a host the worker does not allow, with zero requests', async () => {
    const prisma = await sims.prisma();
    const loaded = await legitPlan(prisma);
    const failure = await run({
      document: PRISMA_DOC,
      plan: loaded.plan,
      inputs: loaded.inputs,
      servers: { prismaManagementApi: 'https://attacker.invalid/v1' },
      approval: { mode: 'none' },
    });
    expect(failure.message).toBe(
      'step confirmDatabase: server override https://attacker.invalid/v1 is not on a host this worker allows (ARAZZO_ALLOWED_SERVER_HOSTS); nothing was sent',
    );
    expect(httpRequests(prisma)).toBe(0);
  });
});
