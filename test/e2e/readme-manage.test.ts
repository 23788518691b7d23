import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv } from '../support/cli.js';
import { startWorker, testPolicy } from '../support/rotation.js';
import { useSimulators } from '../support/simulators.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';
import { bash, readmeBlocks } from '../support/readme.js';

const BLOCKS = ['start', 'show', 'approve-1', 'rotate', 'approve-2', 'lifecycle'];

describe('README: rotating on a schedule with `manage`, run verbatim', () => {
  let env: TemporalTestEnv;
  let worker: Worker;
  let running: Promise<void>;
  let work: string;
  let taskQueue: string;
  const sims = useSimulators();
  const blocks = readmeBlocks('manage');

  beforeAll(async () => {
    env = await connectTestEnv();
    work = mkdtempSync(join(tmpdir(), 'arazzo-readme-manage-'));
    taskQueue = env.uniqueTaskQueue('readme-manage');
    worker = await startWorker(
      env,
      taskQueue,
      testPolicy({ secrets: { envAllow: ['PRISMA_TOKEN'], sinkDir: join(work, 'delivered'), hostBindings: [] } }),
    );
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('marks exactly the blocks this test runs', () => {
    expect([...blocks.keys()]).toEqual(BLOCKS);
  });

  it('manages the Prisma connection: a scheduled rotation, a rotate-now, pause, resume, list, retire', async () => {
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    process.env.PRISMA_TOKEN = seeded.serviceToken;
    const shell = {
      ...(cliEnv({ ARAZZO_TASK_QUEUE: taskQueue }) as Record<string, string>),
      npm_config_offline: 'true',
      PRISMA_URL: prisma.baseUrl,
      PRISMA_DATABASE_ID: seeded.databaseId,
      PRISMA_CONNECTION_ID: seeded.connectionId,
    };
    delete (shell as Record<string, string | undefined>).PRISMA_TOKEN; // the shell never has the token
    const outputs: string[] = [];
    const run = async (name: string) => {
      const result = await bash(blocks.get(name)!, shell);
      outputs.push(result.stdout, result.stderr);
      expect(result.code, `${name}:\n${result.stdout}\n${result.stderr}`).toBe(0);
      return result.stdout;
    };
    const until = async (name: string, done: (out: string) => boolean) => {
      let last = '';
      for (let i = 0; i < 60; i++) {
        last = await run(name);
        if (done(last)) return last;
        await new Promise((r) => setTimeout(r, 500));
      }
      throw new Error(`${name} never showed what was expected:\n${last}`);
    };
    const id = `arazzo-managed:prisma:${seeded.databaseId}:${seeded.connectionId}`;

    const started = await run('start');
    expect(started).toContain(`managing ${id}: every 30d`);
    expect(started).toMatch(/next rotation {2}\d{4}-\d\d-\d\dT/);
    const rotating = await until('show', (out) => out.includes(`rotating       ${id}/rotation-1`));
    expect(rotating).toContain(`oldConnectionId ${seeded.connectionId}`);
    expect(rotating).toContain(`approve with   npx arazzo-temporal approve ${id}/rotation-1`);
    // Wait until the rotation asks for approval, then approve as the README says.
    await waitForApproval(`${id}/rotation-1`);
    await run('approve-1');
    const first = await until('show', (out) => out.includes('1 completed of 1'));
    const firstId = prisma.state.connections(seeded.databaseId)[0].id;
    expect(first).toContain(`oldConnectionId ${firstId}`);
    expect(first).toMatch(/1 {2}completed .* schedule approved by alice/);

    expect(await run('rotate')).toBe('rotate-now: rotation 2 starts now\n');
    await waitForApproval(`${id}/rotation-2`);
    await run('approve-2');
    const second = await until('show', (out) => out.includes('2 completed of 2'));
    const valid = prisma.state.connections(seeded.databaseId);
    expect(valid.map((c) => c.name)).toEqual(['app-db-2']);
    expect(second).toContain(`oldConnectionId ${valid[0].id}`);
    expect(second).toMatch(/2 {2}completed .* rotate-now approved by alice/);
    // Both new connection strings went to files, never into the managed credential's state.
    expect(readdirSync(join(work, 'delivered')).length).toBe(2);

    const lifecycle = await run('lifecycle');
    expect(lifecycle).toContain('paused: no rotation starts until resumed');
    expect(lifecycle).toMatch(/resumed: next rotation due \d{4}-/);
    expect(lifecycle).toContain(`${id}  scheduled  next`);
    expect(lifecycle).toContain('retired: the credential is no longer managed');
    expect((await env.client.workflow.getHandle(id).result()).state).toBe('retired');
    expect(outputs.join('\n')).not.toContain(seeded.serviceToken);
  });

  async function waitForApproval(workflowId: string) {
    const handle = env.client.workflow.getHandle(workflowId);
    for (let i = 0; i < 120; i++) {
      const p = await handle.query<{ state: string }>('progress').catch(() => undefined);
      if (p?.state === 'awaiting-approval') return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${workflowId} never waited for approval`);
  }
});
