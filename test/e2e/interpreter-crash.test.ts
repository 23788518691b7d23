// The mission: the worker process is killed with SIGKILL at the worst moments of a rotation and a new
// one is started. From the simulator's side (its audit log) there are never two new credentials, the
// old one is revoked at most once (exactly once where the run completes), and at every instant at
// least one credential is valid. Ambiguous create failures park in needs-attention and the operator
// finishes them without a second credential.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaSimulator } from '../../src/simulators/index.js';
import type { RunProgress } from '../../src/workflows/types.js';
import { PRISMA_DOC, prismaRotationInput, requestsWith, startRun, waitForState } from '../support/rotation.js';
import { useSimulators } from '../support/simulators.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';
import { spawnWorkerProcess } from '../support/worker-processes.js';

// Both forms of the rotation document: Arazzo 1.0 and its 1.1 form (same behaviour, same guarantees).
describe.each([
  ['1.0', PRISMA_DOC],
  ['1.1', PRISMA_DOC.replace('.arazzo.yaml', '-1.1.arazzo.yaml')],
])('interpreter: crashes of the worker process (Arazzo %s document)', (_form, document) => {
  let env: TemporalTestEnv;
  const sims = useSimulators();
  const workers: ChildProcess[] = [];
  const markerDir = mkdtempSync(join(tmpdir(), 'arazzo-crash-'));

  beforeAll(async () => {
    env = await connectTestEnv();
  });
  afterEach(() => {
    for (const w of workers.splice(0)) if (w.exitCode === null) w.kill('SIGKILL');
  });
  afterAll(async () => {
    await env?.close();
    rmSync(markerDir, { recursive: true, force: true });
  });

  /** A worker process of its own, started the way an operator would (with extra env for test hooks). */
  async function startWorkerProcess(taskQueue: string, extraEnv: Record<string, string> = {}): Promise<ChildProcess> {
    const child = await spawnWorkerProcess(env, taskQueue, extraEnv);
    workers.push(child);
    return child;
  }

  async function kill(worker: ChildProcess) {
    const exited = new Promise((r) => worker.once('exit', r));
    worker.kill('SIGKILL');
    await exited;
  }

  async function setUp(options: { onCreateResponded?: (sim: PrismaSimulator) => void } = {}) {
    let sim!: PrismaSimulator;
    sim = await sims.prisma({
      onExchange: (x) => {
        if (x.method === 'POST' && /\/connections$/.test(x.path) && x.status === 200) options.onCreateResponded?.(sim);
      },
    });
    const seeded = sim.seed();
    const taskQueue = env.uniqueTaskQueue('crash');
    const input = prismaRotationInput(sim, seeded, taskQueue, {
      document,
      approval: { timeout: '5m' },
      stepTimeout: '3s',
    });
    return { sim, seeded, taskQueue, input };
  }

  async function approveRevocation(handle: WorkflowHandle) {
    const waiting = await waitForState(handle, 'awaiting-approval', 90_000);
    await handle.signal('approve', {
      stepId: 'revokeOldConnection',
      approvalId: waiting.pendingApproval!.approvalId,
      by: 'alice',
    });
  }

  /** What must hold in every case, read from the server side. */
  function expectInvariants(sim: PrismaSimulator, oldConnectionId: string, completed: boolean) {
    expect(sim.audit.createdCount('connection')).toBe(1);
    expect(sim.audit.revocations(oldConnectionId)).toHaveLength(completed ? 1 : 0);
    expect(sim.audit.minValidCredentialsAtAnyInstant({ kind: 'connection' })).toBeGreaterThanOrEqual(1);
  }

  it('(a) killed after the create step completed, before the revoke step', async () => {
    let killNow: (() => void) | undefined;
    const armed = new Promise<void>((r) => (killNow = r));
    const { sim, seeded, taskQueue, input } = await setUp({
      // As soon as the create has answered, the next request to a connection (verifyReplacement) is held.
      onCreateResponded: (s) => {
        const hold = s.faults.hold('GET /v1/connections/:connectionId');
        hold.reached.then(() => killNow?.());
      },
    });
    const first = await startWorkerProcess(taskQueue);
    const handle = await startRun(env, taskQueue, input);
    await armed;
    await kill(first);
    sim.faults.clear();
    await startWorkerProcess(taskQueue);
    await approveRevocation(handle);
    const result = await handle.result();
    expect(result.status).toBe('completed');
    expect(result.steps.find((s) => s.stepId === 'verifyReplacement')?.attempts).toBe(1);
    expectInvariants(sim, seeded.connectionId, true);
    expect(sim.credentialWorks(seeded.connectionString)).toBe(false);
    expect(sim.credentialWorks(result.outputs.newConnectionString as string)).toBe(true);
  });

  it('(b) killed while awaiting approval', async () => {
    const { sim, seeded, taskQueue, input } = await setUp();
    const first = await startWorkerProcess(taskQueue);
    const handle = await startRun(env, taskQueue, input);
    await waitForState(handle, 'awaiting-approval');
    await kill(first);
    await startWorkerProcess(taskQueue);
    await approveRevocation(handle);
    const result = await handle.result();
    expect(result.status).toBe('completed');
    expectInvariants(sim, seeded.connectionId, true);
  });

  /**
   * The operator's recovery after an ambiguous create: they find the connection by the run's unique name
   * and supply its id. Its one-time connection string is lost with the dead worker, so the id alone is
   * refused with what that means; said explicitly (`secretLost`), the run goes on but does not offer the
   * revocation while the new secret is held by nobody: the operator aborts, and compensation deletes the
   * connection nobody can use. The old one was never touched.
   */
  async function recoverWithoutTheSecret(
    handle: WorkflowHandle,
    sim: PrismaSimulator,
    databaseId: string,
    name: string,
  ) {
    const created = sim.state.connections(databaseId).filter((c) => c.name === name);
    expect(created).toHaveLength(1);
    const idOnly = { stepId: 'createConnection', by: 'operator', outputs: { newConnectionId: created[0].id } };
    await expect(handle.executeUpdate('supplyOutputs', { args: [idOnly] })).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/^newConnectionString of createConnection holds the one-time secret/) },
    });
    await handle.executeUpdate('supplyOutputs', { args: [{ ...idOnly, secretLost: true }] });
    const parked = await waitForState(handle, 'needs-attention', 90_000);
    expect(parked.pendingApproval).toBeUndefined();
    expect(parked.attention?.reason).toMatch(/^revokeOldConnection is not offered for approval/);
    await handle.executeUpdate('abort', {
      args: [{ by: 'operator', reason: 'the new secret is lost', compensate: true }],
    });
    const result = await handle.result();
    expect(result.status).toBe('compensated');
    expect(requestsWith(sim, 'DELETE').map((r) => r.path)).toEqual([`/v1/connections/${created[0].id}`]);
  }

  it('(c) killed while the create POST is in flight: needs-attention; the id without its secret revokes nothing', async () => {
    const { sim, seeded, taskQueue, input } = await setUp();
    const hold = sim.faults.hold('POST /v1/databases/:databaseId/connections');
    const first = await startWorkerProcess(taskQueue);
    const handle = await startRun(env, taskQueue, input);
    await hold.reached;
    await kill(first);
    hold.release(); // the server completes the create; its answer goes to a dead socket
    await startWorkerProcess(taskQueue);
    const parked = await waitForState(handle, 'needs-attention', 90_000);
    expect(parked.attention?.stepId).toBe('createConnection');
    expect(parked.attention?.known).toBe(
      'the request may have been sent and acted on; its response was never recorded',
    );
    await recoverWithoutTheSecret(handle, sim, seeded.databaseId, input.inputs!.newName as string);
    expect(requestsWith(sim, 'POST')).toHaveLength(1);
    expectInvariants(sim, seeded.connectionId, false);
    expect(sim.credentialWorks(seeded.connectionString)).toBe(true);
  });

  it('(d) killed after the create response arrived, before its completion was recorded', async () => {
    const { sim, seeded, taskQueue, input } = await setUp();
    const first = await startWorkerProcess(taskQueue, {
      ARAZZO_TEST_PAUSE_AFTER_RESPONSE: 'createConnection',
      ARAZZO_TEST_MARKER_DIR: markerDir,
    });
    const handle = await startRun(env, taskQueue, input);
    const marker = join(markerDir, 'createConnection.paused');
    while (!existsSync(marker)) await new Promise((r) => setTimeout(r, 50));
    await kill(first);
    await startWorkerProcess(taskQueue);
    const parked = await waitForState(handle, 'needs-attention', 90_000);
    expect(parked.attention?.stepId).toBe('createConnection');
    // A plain secret is refused: secrets may only be supplied as references.
    await expect(
      handle.executeUpdate('supplyOutputs', {
        args: [{ stepId: 'createConnection', by: 'operator', outputs: { newConnectionString: 'postgres://x' } }],
      }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/^output "newConnectionString" is a secret/) } });
    await recoverWithoutTheSecret(handle, sim, seeded.databaseId, input.inputs!.newName as string);
    expect(requestsWith(sim, 'POST')).toHaveLength(1);
    expectInvariants(sim, seeded.connectionId, false);
    expect(sim.credentialWorks(seeded.connectionString)).toBe(true);
  });

  it('(e) killed during the revoke DELETE: it is repeated, finds nothing, and counts as done', async () => {
    const { sim, seeded, taskQueue, input } = await setUp();
    const hold = sim.faults.hold('DELETE /v1/connections/:connectionId', { phase: 'after-state-change' });
    const first = await startWorkerProcess(taskQueue);
    const handle = await startRun(env, taskQueue, input);
    await approveRevocation(handle);
    await hold.reached;
    await kill(first);
    hold.release();
    await startWorkerProcess(taskQueue);
    const result = await handle.result();
    expect(result.status).toBe('completed');
    const revoke = result.steps.find((s) => s.stepId === 'revokeOldConnection')!;
    expect(revoke.httpStatus).toBe(404);
    expect(revoke.message).toBe('already gone (an earlier attempt had done it)');
    expect(requestsWith(sim, 'DELETE')).toHaveLength(2);
    expectInvariants(sim, seeded.connectionId, true);
    const progress = await handle.query<RunProgress>('progress');
    expect(progress.state).toBe('completed');
  });
});
