// No worker on the task queue (a typo, a stopped worker): start refuses before starting anything,
// `--wait --timeout` gives up with exit 4, status says which queue it looked at and exits 1, approve and
// reject refuse at once instead of hanging, each in a second or two rather than a query's deadline.
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const PRISMA = 'arazzo/rotations/prisma-rotate-connection.arazzo.yaml';
const inputs = [
  '--input',
  'apiToken={"$secret":"env:NO_WORKER_TOKEN"}',
  '--input',
  'databaseId=db1nowork',
  '--input',
  'oldConnectionId=con1nowork',
  '--input',
  'newName=no-worker-rotation',
];

describe('arazzo-temporal when no worker polls the task queue', () => {
  const queue = `arazo-${Date.now().toString(36)}`; // the typo of the issue, made unique

  it('start refuses and starts nothing; --no-worker-check starts, --wait --timeout stops waiting (exit 4)', async () => {
    const id = `no-worker-${queue}`;
    const refused = await runCli(['start', PRISMA, '--task-queue', queue, '--id', id, ...inputs, '--wait']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(
      `error: no worker polls task queue "${queue}" (namespace default): nothing was started\n` +
        `hint: start one: npx arazzo-temporal worker --task-queue ${queue} (or check the task queue's name); to start it anyway (it waits for a worker): --no-worker-check\n`,
    );
    const none = await runCli(['status', id]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(new RegExp(`^error: no run with workflow id ${id}\\n`));

    const began = Date.now();
    const waited = await runCli([
      'start',
      PRISMA,
      '--task-queue',
      queue,
      '--id',
      id,
      ...inputs,
      '--no-worker-check',
      '--wait',
      '--timeout',
      '2s',
    ]);
    expect(waited.code).toBe(4);
    expect(waited.stdout).toContain(`started ${id}:`);
    expect(waited.stdout).toContain(
      `… no worker polls task queue "${queue}" (namespace default): the run waits for one`,
    );
    expect(waited.stdout).toMatch(
      new RegExp(
        `^run ${id}: still running \\(not picked up by a worker\\); stopped waiting after [\\d.]+ s \\(--timeout\\)$`,
        'm',
      ),
    );
    // Waiting stopped at the timeout, not at a query's deadline after it (process start-up aside).
    expect(Date.now() - began).toBeLessThan(20_000);

    const status = await runCli(['status', id]);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain(`run ${id}: Temporal status RUNNING, task queue "${queue}"`);
    expect(status.stdout).toContain(
      `no worker polls task queue "${queue}" (namespace default): its progress cannot be read until one does`,
    );
    const json = await runCli(['status', id, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ workflowId: id, taskQueue: queue, workers: 0 });

    for (const decision of [
      ['approve', id, '--by', 'alice'],
      ['reject', id, '--by', 'alice', '--reason', 'typo'],
    ]) {
      const refusedDecision = await runCli(decision, { timeoutMs: 30_000 });
      expect(refusedDecision.code).toBe(1);
      expect(refusedDecision.stderr).toBe(
        `error: no worker polls task queue "${queue}" (namespace default): the ${decision[0]} cannot be applied until one does\n` +
          `hint: start one: npx arazzo-temporal worker --task-queue ${queue} (or check the task queue's name)\n`,
      );
    }
    const cancelled = await runCli(['cancel', id, '--reason', 'test done']);
    expect(cancelled.code).toBe(0);
  });

  it('--timeout goes with --wait, and must be a duration', async () => {
    const alone = await runCli(['start', PRISMA, '--task-queue', queue, ...inputs, '--timeout', '2s']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toBe('error: --timeout goes with --wait\nhint: add --wait, or leave out --timeout\n');
    const bad = await runCli(['approve', 'x', '--wait', '--timeout', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: --timeout soon: not a duration\n/);
  });
});
