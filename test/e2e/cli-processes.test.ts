// The long-running commands as processes: `worker` runs a real rotation to its approval and stops on
// Ctrl-C; `server` starts a dev server with the Web UI and stops on Ctrl-C; `demo` rotates end to end.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { prismaStartFlags, runCli, startCli } from '../support/cli.js';
import { useSimulators } from '../support/simulators.js';

describe('arazzo-temporal worker / server / demo', () => {
  const sims = useSimulators();

  it('worker: polls its task queue, runs a rotation started by `start`, stops on SIGINT with exit 0', async () => {
    const taskQueue = `cli-worker-${randomUUID().slice(0, 8)}`;
    const worker = startCli(['worker', '--task-queue', taskQueue]);
    try {
      await worker.waitFor(
        new RegExp(
          `arazzo worker polling task queue "${taskQueue}" on \\S+ \\(namespace default\\), documents from \\S+/arazzo`,
        ),
      );
      const prisma = await sims.prisma();
      const seeded = prisma.seed();
      const started = await runCli([
        'start',
        'arazzo/rotations/prisma-rotate-connection.arazzo.yaml',
        '--task-queue',
        taskQueue,
        ...prismaStartFlags(prisma, seeded, `rotation-${taskQueue}`),
        '--wait',
      ]);
      expect(started.code).toBe(0);
      expect(started.stdout).toMatch(/^run rotate-connection-[0-9a-f]{8}: awaiting-approval$/m);
      const id = /^run (\S+): awaiting-approval$/m.exec(started.stdout)![1];
      const rejected = await runCli(['reject', id, '--reason', 'test over', '--json']);
      expect(rejected.code).toBe(0);
      expect(JSON.parse(rejected.stdout)).toMatchObject({ workflowId: id, stepId: 'revokeOldConnection' });
    } finally {
      const code = await worker.stop();
      expect(code).toBe(0);
    }
    expect(worker.output()).toContain('arazzo worker stopped');
  });

  it('server: a dev server with the Web UI and the search attributes, stopped by SIGINT with exit 0', async () => {
    const server = startCli(['server', '--port', '0', '--ui-port', '0', '--codec-port', '0', '--in-memory']);
    try {
      const [, address, ui] = await server.waitFor(
        /Temporal dev server ready: gRPC (\S+), Web UI (\S+), namespace default, in memory/,
      );
      expect((await fetch(ui)).status).toBe(200);
      expect(server.output()).toContain('Search attributes ArazzoWorkflowId, ArazzoStep, ArazzoState are registered');
      const codec = /Web UI decodes payloads with (\S+) \(codec server started here\)/.exec(server.output())?.[1];
      expect(codec).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
      expect(server.output()).toContain(`export TEMPORAL_ADDRESS=${address} TEMPORAL_CODEC_ENDPOINT=${codec}`);
      const status = await runCli(['status', 'nothing-here'], { env: { TEMPORAL_ADDRESS: address } });
      expect(status.stderr).toMatch(/^error: no run with workflow id nothing-here/);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(server.output()).toContain('Temporal dev server stopped.');
  });

  it('demo: the Prisma rotation end to end on the running server, exit 0; a wrong provider exits 2', async () => {
    const { code, stdout } = await runCli(['demo'], { timeoutMs: 110_000 });
    expect(code).toBe(0);
    expect(stdout).toContain('using the Temporal server already running at');
    expect(stdout).toContain('Done: exactly one valid credential, the new one.');
    expect(stdout).toMatch(/new secret: •••••• \(fp [0-9a-f]{4}\)/);
    const wrong = await runCli(['demo', 'aws']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(
      /value 'aws' is invalid for argument 'provider'\. Allowed choices are prisma, deepgram/,
    );
  });
});
