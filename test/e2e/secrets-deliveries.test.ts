// Deliveries never overwrite: three Prisma rotations running at once, each asked to deliver its new
// connection string to the same file name, each approved. Every minted string must end up in its own
// file (the first run to deliver gets the requested name, the others a name derived from it and their
// run), each file exactly the string the simulator minted for that run, and every run's result and
// approval prompt must name the file its string is really in. Real worker, real dev server, the
// simulator over loopback; no secret is ever printed (comparisons are by index and fingerprint).
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/arazzo/secrets/mask.js';
import type { Exchange } from '../../src/simulators/http-server.js';
import type { RunProgress } from '../../src/workflows/types.js';
import { PRISMA_DOC, startRun, startWorker, testPolicy, waitForState } from '../support/rotation.js';
import { useSimulators } from '../support/simulators.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';
import { countFound } from './secrets-support.js';

const REQUESTED = 'prisma-new-connection.txt';

describe('secret deliveries: concurrent runs with one deliver name', () => {
  let env: TemporalTestEnv;
  let work: string;
  const sims = useSimulators();

  beforeAll(async () => {
    env = await connectTestEnv();
    work = mkdtempSync(join(tmpdir(), 'arazzo-deliveries-'));
  });
  afterAll(async () => {
    await env?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('three rotations delivering to file:prisma-new-connection.txt keep three connection strings in three files', async () => {
    const exchanges: Exchange[] = [];
    const prisma = await sims.prisma({ onExchange: (x) => exchanges.push(x) });
    const sinkDir = join(work, 'sink');
    const taskQueue = env.uniqueTaskQueue('deliveries');
    const worker = await startWorker(
      env,
      taskQueue,
      testPolicy({ secrets: { envAllow: [], hostBindings: [], sinkDir } }),
    );
    const seeds = [0, 1, 2].map(() => prisma.seed());

    const runs = await worker.runUntil(async () => {
      const handles = await Promise.all(
        seeds.map((seeded, i) =>
          startRun(
            env,
            taskQueue,
            {
              document: PRISMA_DOC,
              inputs: {
                apiToken: seeded.serviceToken,
                databaseId: seeded.databaseId,
                oldConnectionId: seeded.connectionId,
                newName: `rotation-${i}-${taskQueue.slice(-8)}`,
              },
              servers: { prismaManagementApi: prisma.baseUrl },
              approval: { timeout: '2m' },
              stepTimeout: '5s',
              deliver: { newConnectionString: `file:${REQUESTED}` },
            },
            `${taskQueue}-run-${i}`,
          ),
        ),
      );
      return Promise.all(
        handles.map(async (handle) => {
          const waiting = await waitForState(handle, 'awaiting-approval');
          await handle.executeUpdate('approve', {
            args: [{ stepId: 'revokeOldConnection', approvalId: waiting.pendingApproval!.approvalId, by: 'alice' }],
          });
          const result = await handle.result();
          return { waiting, result, final: await handle.query<RunProgress>('progress') };
        }),
      );
    });

    // What the simulator minted: the connection string of each create's response.
    const creates = exchanges.filter((x) => x.method === 'POST' && x.status === 200 && /\/connections$/.test(x.path));
    const minted = creates.map((x) => JSON.parse(x.bodyText).data.endpoints.direct.connectionString as string);
    expect(minted).toHaveLength(3);
    expect(new Set(minted).size).toBe(3);

    const names: string[] = [];
    for (const { result, waiting } of runs) {
      expect(result.status).toBe('completed');
      const ref = result.outputs.newConnectionString as { $secret: string; delivered: { name: string } };
      const name = ref.delivered.name;
      expect(ref).toMatchObject({
        $secret: `delivered:file:${name}`,
        delivered: { to: 'file', name, step: 'createConnection', output: 'newConnectionString' },
      });
      // The approval prompt says where the string really is.
      expect(waiting.pendingApproval?.secrets).toEqual([
        expect.stringContaining(`createConnection.newConnectionString → secret delivered to file:${name} (fp `),
      ]);
      names.push(name);
    }
    // One run got the requested name, the two others a name derived from it and their run.
    expect(new Set(names).size).toBe(3);
    expect(names.filter((n) => n === REQUESTED)).toHaveLength(1);
    for (const n of names.filter((n) => n !== REQUESTED)) expect(n).toMatch(/^prisma-new-connection\..+\.txt$/);
    expect(readdirSync(sinkDir).sort()).toEqual([...names].sort());

    // Each file holds exactly one of the minted strings (each a different one), mode 0600, and it works.
    const contents = names.map((n) => readFileSync(join(sinkDir, n), 'utf8'));
    expect(contents.map((c) => minted.indexOf(c)).sort()).toEqual([0, 1, 2]);
    for (const [i, n] of names.entries()) {
      expect(statSync(join(sinkDir, n)).mode & 0o777).toBe(0o600);
      expect(prisma.credentialWorks(contents[i])).toBe(true);
      // The fingerprint in the reference is the file's.
      expect((runs[i].result.outputs.newConnectionString as { delivered: { fingerprint: string } }).delivered).toEqual(
        expect.objectContaining({ fingerprint: fingerprint(contents[i]) }),
      );
    }
    // The old connections are revoked; nothing the runs show holds a minted string.
    for (const seeded of seeds) expect(prisma.credentialWorks(seeded.connectionString)).toBe(false);
    for (const run of runs) expect(countFound(JSON.stringify(run), minted)).toBe(0);
    console.log(`delivered to: ${names.join(', ')}`);
  });

  // A rejection with compensation deletes the new connection: its delivered string unlocks nothing
  // any more, so the sink must not keep it (a file that holds another value by then is left alone).
  it('reject with compensate removes the delivered file of the deleted connection, and only that file', async () => {
    const prisma = await sims.prisma();
    const sinkDir = join(work, 'sink-compensate');
    const taskQueue = env.uniqueTaskQueue('withdraw');
    const worker = await startWorker(
      env,
      taskQueue,
      testPolicy({ secrets: { envAllow: [], hostBindings: [], sinkDir } }),
    );
    const rotate = (i: number, requested: string) => {
      const seeded = prisma.seed();
      return {
        seeded,
        input: {
          document: PRISMA_DOC,
          inputs: {
            apiToken: seeded.serviceToken,
            databaseId: seeded.databaseId,
            oldConnectionId: seeded.connectionId,
            newName: `withdraw-${i}-${taskQueue.slice(-8)}`,
          },
          servers: { prismaManagementApi: prisma.baseUrl },
          approval: { timeout: '2m' },
          stepTimeout: '5s',
          deliver: { newConnectionString: `file:${requested}` },
        },
      };
    };
    const rejectWithCompensation = async (i: number, requested: string, beforeReject?: () => void) => {
      const { seeded, input } = rotate(i, requested);
      const handle = await startRun(env, taskQueue, input, `${taskQueue}-run-${i}`);
      const waiting = await waitForState(handle, 'awaiting-approval');
      beforeReject?.();
      await handle.executeUpdate('reject', {
        args: [
          {
            stepId: 'revokeOldConnection',
            approvalId: waiting.pendingApproval!.approvalId,
            by: 'alice',
            reason: 'test',
            compensate: true,
          },
        ],
      });
      const result = await handle.result();
      const final = await handle.query<RunProgress>('progress');
      return { seeded, result, final };
    };

    const [removed, replaced] = await worker.runUntil(async () => [
      await rejectWithCompensation(0, 'withdrawn.txt'),
      // Someone put another value under the delivered name before the rejection: it stays.
      await rejectWithCompensation(1, 'replaced.txt', () => {
        rmSync(join(sinkDir, 'replaced.txt'));
        writeFileSync(join(sinkDir, 'replaced.txt'), 'not the delivered value', { mode: 0o600 });
      }),
    ]);

    for (const run of [removed, replaced]) {
      expect(run.result.status).toBe('compensated');
      // The old connection still works: nothing was revoked.
      expect(prisma.credentialWorks(run.seeded.connectionString)).toBe(true);
    }
    const created = (run: typeof removed) => run.final.steps.find((s) => s.stepId === 'createConnection');
    expect(created(removed)).toMatchObject({
      status: 'compensated',
      message: 'undone; delivered secret withdrawn.txt removed',
    });
    expect(created(replaced)).toMatchObject({
      status: 'compensated',
      message: 'undone; delivered secret replaced.txt kept (it holds another value now)',
    });
    expect(readdirSync(sinkDir)).toEqual(['replaced.txt']);
    expect(readFileSync(join(sinkDir, 'replaced.txt'), 'utf8')).toBe('not the delivered value');
  });
});
