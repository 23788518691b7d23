// A rotation that tells the applications: the Prisma rotation with `announceRotation`
// (arazzo/rotations/prisma-rotate-connection-events-1.1.arazzo.yaml) delivers the new connection string to
// the worker's sink, publishes `credential-rotated` on a real Kafka broker naming the sink file, and only
// then waits for approval to revoke the old connection. The application (src/simulators/rotation-listener.ts)
// reloads the file when the event arrives: it holds a working credential before, during and after the
// revocation, and the event never carried the secret.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RotationListener, startRotationListener } from '../../src/simulators/rotation-listener.js';
import { useKafkaBroker } from '../support/kafka.js';
import { acceptedMessages, type ChannelWorker, startChannelWorker } from '../support/messages.js';
import { requestsWith, startRun, testPolicy, waitForState } from '../support/rotation.js';
import { useSimulators } from '../support/simulators.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';

const kafka = useKafkaBroker();
const EVENTS_DOC = 'rotations/prisma-rotate-connection-events-1.1.arazzo.yaml';

describe('credential-rotated: the rotation tells the application, which reloads before the revocation', () => {
  const sims = useSimulators();
  let env: TemporalTestEnv;
  let work: string;
  let worker: ChannelWorker;
  let app: RotationListener;
  let taskQueue: string;
  let sinkDir: string;

  beforeAll(async () => {
    env = await connectTestEnv();
    work = mkdtempSync(join(tmpdir(), 'rotation-event-'));
    sinkDir = join(work, 'sink');
    taskQueue = env.uniqueTaskQueue('rotation-event');
    worker = await startChannelWorker(
      env,
      taskQueue,
      testPolicy({ secrets: { envAllow: [], hostBindings: [], sinkDir } }),
    );
    app = await startRotationListener({ bootstrap: kafka.broker.bootstrap, sinkDir });
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
    await worker?.stop();
    await env?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('announces the sink file, the application reloads it, then the approved DELETE revokes the old one', async () => {
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    expect(prisma.credentialWorks(seeded.connectionString)).toBe(true);
    const handle = await startRun(env, taskQueue, {
      document: EVENTS_DOC,
      inputs: {
        apiToken: seeded.serviceToken,
        databaseId: seeded.databaseId,
        oldConnectionId: seeded.connectionId,
        newName: `rotation-${taskQueue.slice(-8)}`,
      },
      servers: { prismaManagementApi: prisma.baseUrl, credentialEvents: kafka.broker.bootstrap },
      deliver: { newConnectionString: 'file:app-db.txt' },
      approval: { timeout: '2m' },
    });
    const waiting = await waitForState(handle, 'awaiting-approval');
    // Before anyone approves the revocation, the application has the new credential, and it works.
    await app.waitForReloads(1, 30_000);
    const [reload] = app.reloads;
    expect(reload.refused).toBeUndefined();
    expect(reload.event).toEqual({
      credential: `prisma:${seeded.databaseId}`,
      sink: 'app-db.txt',
      newConnectionId: expect.any(String),
      replaces: seeded.connectionId,
    });
    const current = app.current()!;
    expect(prisma.credentialWorks(current)).toBe(true);
    expect(requestsWith(prisma, 'DELETE')).toHaveLength(0);
    expect(waiting.steps.find((s) => s.stepId === 'announceRotation')?.status).toBe('succeeded');

    await handle.executeUpdate('approve', {
      args: [{ stepId: 'revokeOldConnection', approvalId: waiting.pendingApproval!.approvalId, by: 'alice' }],
    });
    const result = await handle.result();
    expect(result.status).toBe('completed');
    expect(requestsWith(prisma, 'DELETE')).toHaveLength(1);
    // After the revocation the application still works: it reloaded before the old string stopped working.
    expect(prisma.credentialWorks(seeded.connectionString)).toBe(false);
    expect(prisma.credentialWorks(current)).toBe(true);
    expect(app.reloads).toHaveLength(1);
    expect(result.outputs.announcedAt).toMatch(/^\d+:\d+$/);
    // The event names a file; the secret never went over Kafka.
    const [event] = await kafka.readMessages('credential-rotated', 1, 20_000);
    expect(event.value).not.toContain(current);
    expect(event.headers.credential).toBe(`prisma:${seeded.databaseId}`);
    expect(acceptedMessages(await handle.fetchHistory())).toBe(0);
  }, 120_000);
});
