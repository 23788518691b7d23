// `schedule` as processes: a Temporal Schedule that starts the rotation (overlap SKIP), listed,
// paused, triggered (the run it starts reaches the approval) and deleted.
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { useRunningWorker, waitForState } from '../support/rotation.js';
import { useSimulators } from '../support/simulators.js';
import type { TemporalTestEnv } from '../support/temporal.js';

const PRISMA = 'arazzo/rotations/prisma-rotate-connection.arazzo.yaml';

describe('arazzo-temporal schedule', () => {
  let env: TemporalTestEnv;
  let taskQueue: string;
  const sims = useSimulators();
  useRunningWorker('cli-schedule', (e, q) => {
    env = e;
    taskQueue = q;
  });

  it('create, list, pause, trigger, delete', async () => {
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    const id = `cli-schedule-${taskQueue.slice(-8)}`;
    const created = await runCli([
      'schedule',
      PRISMA,
      '--every',
      '30d',
      '--id',
      id,
      '--task-queue',
      taskQueue,
      '--input',
      JSON.stringify({
        apiToken: seeded.serviceToken,
        databaseId: seeded.databaseId,
        oldConnectionId: seeded.connectionId,
      }),
      '--input',
      `newName=scheduled-${id}`,
      '--server',
      `prismaManagementApi=${prisma.baseUrl}`,
    ]);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(
      new RegExp(`^scheduled ${id}: every 30d, Prisma Postgres - rotate one connection string`, 'm'),
    );
    expect(created.stdout).toContain(`/namespaces/default/schedules/${id}`);
    expect(created.stdout + created.stderr).not.toContain(seeded.serviceToken);
    // The rotation declares x-managed: the same inputs every time would fail from the second run on.
    expect(created.stderr).toContain(
      `warning: rotate-connection declares x-managed: each run revokes what it was given, and a Schedule gives every run the same inputs, so the second run would fail. Use: arazzo-temporal manage ${PRISMA} --every 30d ...`,
    );

    const description = await env.client.schedule.getHandle(id).describe();
    expect(description.policies.overlap).toBe('SKIP');
    expect(description.spec.intervals?.[0]?.every).toBe(30 * 86_400_000);
    expect(description.action).toMatchObject({ type: 'startWorkflow', workflowType: 'arazzoRun', taskQueue });

    const listed = await runCli(['schedule', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      new RegExp(`^${id} {2}every 30d {2}rotations/prisma-rotate-connection\\.arazzo\\.yaml rotate-connection`, 'm'),
    );

    expect((await runCli(['schedule', 'pause', id, '--note', 'freeze'])).stdout).toBe(`paused ${id}\n`);
    const paused = JSON.parse((await runCli(['schedule', 'list', '--json'])).stdout);
    expect(paused.find((r: { scheduleId: string }) => r.scheduleId === id)).toMatchObject({
      paused: true,
      note: 'freeze',
      every: '30d',
    });

    // One run now: it is the real rotation, up to its approval.
    const triggered = await runCli(['schedule', 'trigger', id]);
    expect(triggered.code).toBe(0);
    // It says which run it started (Temporal's trigger call does not).
    const runId = new RegExp(
      `^triggered ${id}: started (\\S+) \\(follow it with: arazzo-temporal status \\1\\)$`,
      'm',
    ).exec(triggered.stdout)?.[1];
    expect(runId, triggered.stdout).toMatch(new RegExp(`^${id}-`));
    expect(
      (await env.client.schedule.getHandle(id).describe()).info.recentActions.map((a) => a.action.workflow.workflowId),
    ).toContain(runId);
    const handle = env.client.workflow.getHandle(runId!);
    const progress = await waitForState(handle, 'awaiting-approval');
    expect(progress.pendingApproval?.stepId).toBe('revokeOldConnection');
    await handle.terminate('test done');

    expect((await runCli(['schedule', 'delete', id])).stdout).toBe(`deleted ${id}\n`);
    const gone = await runCli(['schedule', 'delete', id]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(new RegExp(`^error: no schedule with id ${id}\\nhint: `));
  });

  it('a wrong interval is a usage error', async () => {
    const bad = await runCli(['schedule', PRISMA, '--every', 'monthly', '--input', 'databaseId=x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: (--every monthly: not an interval|inputs for workflow)/);
  });
});
