// start / status / approve / reject as processes against the real dev server, a worker in this
// process on the task queue the CLI is told to use, and the Prisma simulator over loopback.
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTemporalCli } from '../../scripts/temporal-install.mjs';
import { cliEnv, prismaStartFlags, runCli } from '../support/cli.js';
import { useRunningWorker } from '../support/rotation.js';
import type { TemporalTestEnv } from '../support/temporal.js';
import { useSimulators } from '../support/simulators.js';

const PRISMA = 'arazzo/rotations/prisma-rotate-connection.arazzo.yaml';

describe('arazzo-temporal start / status / approve / reject', () => {
  let taskQueue: string;
  let env: TemporalTestEnv;
  const sims = useSimulators();
  useRunningWorker('cli-run', (e, q) => {
    env = e;
    taskQueue = q;
  });

  async function prismaRun(id: string) {
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    const args = [
      'start',
      PRISMA,
      '--task-queue',
      taskQueue,
      '--id',
      id,
      ...prismaStartFlags(prisma, seeded, `rotation-${id}`),
    ];
    return { prisma, seeded, args, secrets: [seeded.serviceToken, seeded.connectionString] };
  }

  const noSecretIn = (text: string, secrets: string[]) => secrets.every((s) => !text.includes(s));

  it('start --wait follows the steps to the approval, status shows it, approve --wait completes it', async () => {
    const id = `cli-approve-${taskQueue.slice(-8)}`;
    const { prisma, seeded, args, secrets } = await prismaRun(id);

    // The printed commands carry the operator's name (ARAZZO_APPROVER, else the login name), no placeholder.
    const started = await runCli([...args, '--wait'], { env: { ARAZZO_APPROVER: 'ops-alice' } });
    expect(started.stderr).toContain('warning: input apiToken is a secret given in plain text');
    expect(started.code).toBe(0);
    const out = started.stdout;
    expect(out).toMatch(
      new RegExp(`^started ${id}: Prisma Postgres - rotate one connection string — rotate-connection \\(`, 'm'),
    );
    expect(out).toContain(`databaseId=${seeded.databaseId}`);
    expect(out).toMatch(
      new RegExp(
        `Web UI {6}${escapeRegExp(cliEnv().ARAZZO_TEMPORAL_UI_URL!)}/namespaces/default/workflows/${id}/[0-9a-f-]{36}/history`,
      ),
    );
    expect(out).toContain(`approve: npx arazzo-temporal approve ${id} --by ops-alice`);
    expect(out).toContain(
      `reject:  npx arazzo-temporal reject ${id} --by ops-alice --reason 'why'   (--compensate also undoes completed steps)`,
    );
    for (const step of ['confirmDatabase', 'checkOldConnection', 'createConnection', 'verifyReplacement']) {
      expect(out).toMatch(new RegExp(`^✔ ${step} succeeded: \\w+ \\S+ → HTTP 200`, 'm'));
    }
    expect(out).toMatch(/^⏸ revokeOldConnection awaiting-approval: DELETE \/connections\/\{connectionId\}$/m);
    expect(out).toContain(`run ${id}: awaiting-approval`);
    expect(out).toContain(
      `approval needed for revokeOldConnection: DELETE ${prisma.baseUrl}/connections/${seeded.connectionId}`,
    );
    expect(noSecretIn(out + started.stderr, secrets)).toBe(true);

    const status = await runCli(['status', id], { env: { ARAZZO_APPROVER: 'ops-bob' } });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`run ${id}: awaiting-approval (Temporal: RUNNING)`);
    expect(status.stdout).toContain('approval pending for revokeOldConnection: DELETE');
    // Pasteable: the temporal CLI by its absolute path, the operator's name instead of a placeholder.
    expect(status.stdout).toMatch(
      new RegExp(
        `with the temporal CLI: /\\S+/temporal workflow signal --workflow-id ${id} --name approve --input '.*"by":"ops-bob"`,
      ),
    );
    expect(status.stdout).not.toContain('YOUR-NAME');
    const json = await runCli(['status', id, '--json']);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout);
    expect(parsed).toMatchObject({ workflowId: id, temporalStatus: 'RUNNING', taskQueue });
    expect(parsed.progress).toMatchObject({
      state: 'awaiting-approval',
      pendingApproval: { stepId: 'revokeOldConnection' },
    });

    // A mistake is refused at once, with the interpreter's reason.
    const wrong = await runCli(['approve', id, '--step', 'createConnection', '--by', 'alice']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(
      /^error: approve refused: step createConnection is not awaiting approval \(pending: revokeOldConnection\)\nhint: /,
    );
    expect(wrong.stderr).not.toMatch(/\n\s+at /);

    const approved = await runCli(['approve', id, '--by', 'alice', '--reason', 'change ticket 42', '--wait']);
    expect(approved.stderr).toBe('');
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain('approved revokeOldConnection; executing DELETE');
    expect(approved.stdout).toMatch(
      /^✔ revokeOldConnection succeeded: DELETE \/connections\/\{connectionId\} → HTTP 204$/m,
    );
    expect(approved.stdout).toContain(`run ${id}: completed`);
    expect(approved.stdout).toMatch(/^output newConnectionString: •••••• \(fp [0-9a-f]{4}\)$/m);
    expect(approved.stdout).toContain(`output revokedConnectionId: ${seeded.connectionId}`);
    expect(noSecretIn(approved.stdout, secrets)).toBe(true);
    expect(prisma.credentialWorks(seeded.connectionString)).toBe(false);
    expect(prisma.audit.createdCount('connection')).toBe(1);

    const done = await runCli(['status', id, '--json']);
    const final = JSON.parse(done.stdout);
    expect(final.temporalStatus).toBe('COMPLETED');
    expect(final.progress.approvals).toMatchObject([
      { stepId: 'revokeOldConnection', decision: 'approved', by: 'alice', via: 'update', comment: 'change ticket 42' },
    ]);
    expect(noSecretIn(done.stdout, secrets)).toBe(true);

    const late = await runCli(['approve', id, '--by', 'alice']);
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(/^error: no approval is pending for .* \(state: completed\)/);

    // history: each step from the run's history, decoded, secrets masked; works for a closed run.
    const history = await runCli(['history', id]);
    expect(history.code).toBe(0);
    expect(history.stdout).toMatch(
      new RegExp(
        `^createConnection +succeeded +POST ${escapeRegExp(prisma.baseUrl)}/databases/\\S+/connections → HTTP 200 \\d+ ms$`,
        'm',
      ),
    );
    expect(history.stdout).toMatch(/^ +newConnectionString: •••••• \(fp [0-9a-f]{4}\)$/m);
    expect(history.stdout).toMatch(/^revokeOldConnection +succeeded +DELETE .* → HTTP 204 \d+ ms$/m);
    expect(noSecretIn(history.stdout, secrets)).toBe(true);
    const historyJson = JSON.parse((await runCli(['history', id, '--json'])).stdout);
    expect(historyJson.steps.map((s: { stepId: string }) => s.stepId)).toEqual([
      'confirmDatabase',
      'checkOldConnection',
      'createConnection',
      'verifyReplacement',
      'revokeOldConnection',
    ]);

    // runs: the run with its state, filtered by state (search attributes: no worker needed).
    const runs = await runCli([
      'runs',
      '--state',
      'completed',
      '--workflow',
      'rotate-connection',
      '--limit',
      '200',
      '--json',
    ]);
    expect(runs.code).toBe(0);
    expect(JSON.parse(runs.stdout).runs).toContainEqual(
      expect.objectContaining({ workflowId: id, status: 'COMPLETED', state: 'completed', taskQueue }),
    );
    const table = await runCli(['runs', '--state', 'completed', '--limit', '200']);
    expect(table.stdout).toMatch(/^WORKFLOWID +STATUS +STATE +STEP +STARTED$/m);
    expect(table.stdout).toMatch(new RegExp(`^${id} +COMPLETED +completed `, 'm'));
    const badState = await runCli(['runs', '--state', 'done', '--json']);
    expect(badState.code).toBe(2);
    expect(JSON.parse(badState.stdout).error.exitCode).toBe(2);
  });

  // The Web UI's current details are read by whoever will decide, often on another machine: the
  // commands there must work as pasted into a shell that ran only the README's set-up (the project's
  // `temporal` on PATH), and record who pasted them.
  it("the Web UI details' commands work when pasted: the temporal signal approves as the paster", async () => {
    const id = `cli-details-${taskQueue.slice(-8)}`;
    const { prisma, seeded, args } = await prismaRun(id);
    expect((await runCli(args)).code).toBe(0);
    await pollStatus(id, 'awaiting-approval');
    const metadata = (await env.client.workflow.getHandle(id).query('__temporal_workflow_metadata')) as {
      currentDetails?: string;
    };
    const details = metadata.currentDetails ?? '';
    expect(details).toContain(`npx arazzo-temporal approve ${id} --step revokeOldConnection`);
    expect(details).not.toContain('YOUR-NAME');
    const signal = details.split('\n').find((line) => line.startsWith('temporal workflow signal '));
    expect(signal, details).toContain('--name approve');
    const pasted = spawnSync('sh', ['-c', signal!], {
      env: cliEnv({ PATH: `${dirname(findTemporalCli() ?? 'temporal')}:${process.env.PATH}`, USER: 'ops-carol' }),
      encoding: 'utf8',
    });
    expect(pasted.stderr).toBe('');
    expect(pasted.status).toBe(0);
    const done = await pollStatus(id, 'completed');
    expect(done.progress.approvals).toEqual([
      expect.objectContaining({ stepId: 'revokeOldConnection', decision: 'approved', by: 'ops-carol', via: 'signal' }),
    ]);
    expect(prisma.credentialWorks(seeded.connectionString)).toBe(false);
  });

  it('reject --compensate: the step is skipped and the replacement undone', async () => {
    const id = `cli-reject-${taskQueue.slice(-8)}`;
    const { prisma, seeded, args } = await prismaRun(id);
    const started = await runCli([...args, '--json']);
    expect(started.code).toBe(0);
    expect(JSON.parse(started.stdout)).toMatchObject({ workflowId: id, taskQueue });
    const waiting = await runCli(['start', PRISMA, '--id', id, '--task-queue', taskQueue, ...args.slice(6)]);
    expect(waiting.code).toBe(1);
    expect(waiting.stderr).toMatch(new RegExp(`^error: a run with workflow id ${id} is already running\\nhint: `, 'm'));

    // approve --wait stops at the approval: reject from another shell.
    const status = await pollStatus(id, 'awaiting-approval');
    expect(status.progress.pendingApproval.stepId).toBe('revokeOldConnection');
    const rejected = await runCli([
      'reject',
      id,
      '--by',
      'bob',
      '--reason',
      'wrong database',
      '--compensate',
      '--wait',
    ]);
    // The rejection is what was asked for: the run ending compensated is success.
    expect(rejected.code).toBe(0);
    expect(rejected.stdout).toContain('rejected revokeOldConnection; undoing completed steps');
    expect(rejected.stdout).toMatch(/^↶ createConnection compensated/m);
    expect(rejected.stdout).toContain(`run ${id}: compensated`);
    expect(prisma.credentialWorks(seeded.connectionString)).toBe(true);
    expect(prisma.state.connections(seeded.databaseId)).toHaveLength(1);
  });

  it('refusals before anything starts: outside the document root, unknown workflow, bad inputs, unknown run', async () => {
    const outside = await runCli(['start', 'test/fixtures/shared-workflows.arazzo.yaml', '--task-queue', taskQueue]);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(
      /^error: test\/fixtures\/shared-workflows\.arazzo\.yaml is outside the worker's document root .*\/arazzo\nhint: /,
    );

    const rootRelative = await runCli([
      'start',
      'rotations/prisma-rotate-connection.arazzo.yaml',
      '--workflow',
      'nope',
      '--task-queue',
      taskQueue,
    ]);
    expect(rootRelative.code).toBe(2);
    expect(rootRelative.stderr).toMatch(
      /^error: --workflow nope: no such workflow\nhint: workflows: rotate-connection/,
    );

    const missing = await runCli(['start', PRISMA, '--task-queue', taskQueue, '--input', 'databaseId=db1']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: inputs for workflow rotate-connection are not valid: .*apiToken/);

    const notFound = await runCli(['start', 'arazzo/rotations/nope.yaml', '--task-queue', taskQueue]);
    expect(notFound.code).toBe(1);
    expect(notFound.stderr).toMatch(/^error: document not found: arazzo\/rotations\/nope\.yaml\nhint: /);

    const unknownRun = await runCli(['status', 'no-such-run-anywhere']);
    expect(unknownRun.code).toBe(1);
    expect(unknownRun.stderr).toMatch(/^error: no run with workflow id no-such-run-anywhere\nhint: /);
  });

  it('start --wait on a run the worker refuses (the Prisma seed fails pre-flight): exit 1 with the reason', async () => {
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    const failed = await runCli([
      'start',
      'arazzo/seeds/prisma-postgres-rotate-connection-string.arazzo.yaml',
      '--task-queue',
      taskQueue,
      '--input',
      JSON.stringify({ apiToken: seeded.serviceToken, databaseId: seeded.databaseId }),
      '--server',
      `postgresManagementApi=${prisma.baseUrl}`,
      '--wait',
    ]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^run rotate-connection-string-[0-9a-f]{8}: failed$/m);
    expect(failed.stdout).toMatch(/^why: PreflightFailed: pre-flight found \d+ errors/m);
    expect(failed.stdout + failed.stderr).not.toContain(seeded.serviceToken);
    expect(prisma.audit.entries.filter((e) => e.source === 'http')).toHaveLength(0);
  });

  it('no server: one line and a hint, exit 1; --debug adds the stack', async () => {
    const down = await runCli(['status', 'x'], { env: { TEMPORAL_ADDRESS: '127.0.0.1:1' } });
    expect(down.code).toBe(1);
    expect(down.stdout).toBe('');
    expect(down.stderr).toMatch(
      /^error: cannot connect to Temporal at 127\.0\.0\.1:1: .*\nhint: start a dev server with `arazzo-temporal server`/,
    );
    expect(down.stderr.trim().split('\n')).toHaveLength(2);
    // --address wins over TEMPORAL_ADDRESS (which points at the live server here)
    const debug = await runCli(['--address', '127.0.0.1:1', 'status', 'x', '--debug']);
    expect(debug.code).toBe(1);
    expect(debug.stderr).toContain('error: cannot connect to Temporal at 127.0.0.1:1');
    expect(debug.stderr).toMatch(/\n\s+at /);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function pollStatus(id: string, state: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const r = await runCli(['status', id, '--json']);
    last = r.stdout + r.stderr;
    if (r.code === 0) {
      const s = JSON.parse(r.stdout);
      if (s.progress?.state === state) return s;
    }
    await new Promise((res) => setTimeout(res, 300));
  }
  throw new Error(`run ${id} did not reach ${state}: ${last}`);
}
