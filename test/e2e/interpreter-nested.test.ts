// Nested Arazzo workflows (a workflowId step, dependsOn) run as Temporal child workflows with outputs
// passed back; a long polling loop continues as new instead of growing one history without bound.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRun, startWorker, testPolicy } from '../support/rotation.js';
import { useSimulators } from '../support/simulators.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

describe('interpreter: nested workflows and long loops', () => {
  let env: TemporalTestEnv;
  const sims = useSimulators();
  beforeAll(async () => {
    env = await connectTestEnv();
  });
  afterAll(async () => env?.close());

  it('runs dependsOn and workflowId steps as child workflows and passes their outputs back', async () => {
    const prisma = await sims.prisma();
    const seeded = prisma.seed({ databaseName: 'orders', connectionName: 'app' });
    const taskQueue = env.uniqueTaskQueue('nested');
    const worker = await startWorker(env, taskQueue, testPolicy({ documentRoot: repoRoot }));
    const { result, children } = await worker.runUntil(async () => {
      const handle = await startRun(env, taskQueue, {
        document: 'test/fixtures/interpreter/nested.arazzo.yaml',
        inputs: { apiToken: seeded.serviceToken, databaseId: seeded.databaseId },
        servers: { prismaManagementApi: prisma.baseUrl },
      });
      const value = await handle.result();
      const history = await handle.fetchHistory();
      const started = (history.events ?? [])
        .map((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowType?.name)
        .filter(Boolean);
      return { result: value, children: started };
    });
    expect(result.status).toBe('completed');
    expect(result.outputs).toEqual({ name: 'orders', status: 'ready', firstConnectionName: 'app' });
    expect(children).toEqual(['arazzoRun', 'arazzoRun']);
  });

  it('continues as new during a long polling loop and finishes with the loop state intact', async () => {
    const prisma = await sims.prisma();
    const seeded = prisma.seed({ status: 'provisioning' });
    const taskQueue = env.uniqueTaskQueue('loop');
    const worker = await startWorker(env, taskQueue, testPolicy({ documentRoot: repoRoot }));
    const { result, runs } = await worker.runUntil(async () => {
      const handle = await startRun(env, taskQueue, {
        document: 'test/fixtures/interpreter/polling-loop.arazzo.yaml',
        inputs: { apiToken: seeded.serviceToken, databaseId: seeded.databaseId },
        servers: { prismaManagementApi: prisma.baseUrl },
        continueAsNewAfterEvents: 40,
      });
      // Ready after a while: the loop has gone round many times by then.
      while (prisma.audit.entries.filter((e) => e.request?.method === 'GET').length < 15) {
        await new Promise((r) => setTimeout(r, 100));
      }
      prisma.setDatabaseStatus(seeded.databaseId, 'ready');
      const value = await handle.result();
      const described = await handle.describe();
      let count = 0;
      for await (const _ of env.client.workflow.list({ query: `WorkflowId = '${handle.workflowId}'` })) count++;
      return { result: value, runs: { count, lastRun: described.runId, first: handle.firstExecutionRunId } };
    });
    expect(result.status).toBe('completed');
    expect(result.outputs).toEqual({ status: 'ready' });
    expect(runs.count).toBeGreaterThan(1);
    expect(runs.lastRun).not.toBe(runs.first);
  });
});
