// One case of the matrix: a fresh simulator, the fault armed, the run started and driven the way a person drives it
// (approve the destructive step; when the run needs attention, follow the options it prints), then the invariants
// checked from the provider's side. Whatever happens, the case's workers and simulator are gone when it returns.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time.js';
import {
  abortUpdate,
  approveSignal,
  approveUpdate,
  progressQuery,
  retryStepUpdate,
  supplyOutputsUpdate,
  WORKFLOW_TYPE,
} from '../../src/workflows/contract.js';
import type { ArazzoRunResult, RunProgress, RunState } from '../../src/workflows/types.js';
import type { FrozenCompletion } from '../../test/support/worker-process.js';
import type { ReliabilityEnv, WorkerHandle } from './environment.js';
import type { CaseContext, Fault } from './faults.js';
import { auditTrail, checkInvariants, INVARIANTS, type InvariantResult, retryGaps } from './invariants.js';
import { type RotationSpec, type SeededRotation, seedRotation } from './rotations.js';

export interface CaseSpec {
  index: number;
  rotation: RotationSpec;
  fault: Fault;
  repetition: number;
  /** How the destructive step is approved (alternated so both paths are exercised). */
  approveVia: 'update' | 'signal';
}

export interface CaseSettings {
  deadlineMs: number;
  outageSeconds: number;
  stepTimeout: string;
  /** Deliver new secrets to a sink file (else they stay in the run's encrypted history). */
  sink: boolean;
  /** The always-on worker's task queue (cases without a worker of their own). */
  sharedTaskQueue: string;
}

export interface CaseRow {
  spec: CaseSpec;
  workflowId: string;
  invariants: InvariantResult;
  finalState: string;
  seconds: number;
  /** What the operator did, in order. */
  actions: string[];
  /** What the harness did (kills, restarts), with seconds since the start. */
  notes: string[];
  audit: string[];
  error?: string;
}

const CLOSED: Record<string, string> = {
  FAILED: 'failed',
  TERMINATED: 'terminated',
  CANCELLED: 'cancelled',
  TIMED_OUT: 'timed-out',
};

export async function runCase(env: ReliabilityEnv, c: CaseSpec, settings: CaseSettings): Promise<CaseRow> {
  const t0 = Date.now();
  const deadline = t0 + settings.deadlineMs;
  const tag = `c${String(c.index).padStart(3, '0')}-${c.rotation.name.slice(0, 2)}-r${c.repetition}`;
  const workflowId = `reliability-${tag}-${Date.now().toString(36)}`;
  const markerDir = join(env.workDir, 'markers', tag);
  mkdirSync(markerDir, { recursive: true });
  const notes: string[] = [];
  const actions: string[] = [];
  const at = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
  const note = (text: string) => notes.push(`${at()} ${text}`);
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  const responded: Array<{ route: string; fn: () => void }> = [];

  let rotation: SeededRotation | undefined;
  let handle: WorkflowHandle | undefined;
  const workers: WorkerHandle[] = [];
  let finalState = 'not started';
  let settled = false;
  let completed = false;
  let error: string | undefined;
  let injectionDone = false;

  const within = async <T>(promise: Promise<T>, what: string): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`deadline: still waiting for ${what}`)),
        Math.max(0, deadline - Date.now()),
      );
    });
    try {
      return await Promise.race([promise, late]);
    } finally {
      clearTimeout(timer);
    }
  };
  const until = async (check: () => Promise<boolean> | boolean, what: string) => {
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`deadline: still waiting for ${what}`);
      await sleep(100);
    }
  };
  const progressOf = async (h: WorkflowHandle): Promise<RunProgress | undefined> => {
    try {
      return await env.connection.withDeadline(Date.now() + 5_000, () => h.query(progressQuery));
    } catch {
      return undefined;
    }
  };
  const statusOf = async (h: WorkflowHandle): Promise<string | undefined> => {
    try {
      return (await env.connection.withDeadline(Date.now() + 5_000, () => h.describe())).status.name;
    } catch {
      return undefined;
    }
  };
  const taskQueue = c.fault.ownWorker ? `reliability-${tag}` : settings.sharedTaskQueue;
  const startWorker = async (extraEnv?: Record<string, string>) => {
    const w = await env.startWorker(taskQueue, tag, extraEnv);
    workers.push(w);
    return w;
  };

  try {
    rotation = await seedRotation(c.rotation, {
      tag,
      secretsDir: env.secretsDir,
      stepTimeout: settings.stepTimeout,
      sink: settings.sink,
      onExchange: (x) => {
        if (x.status < 200 || x.status > 299 || x.injected) return;
        for (const hook of responded.splice(0)) {
          if (x.route === hook.route) hook.fn();
          else responded.push(hook);
        }
      },
    });
    const r = rotation;
    if (c.fault.ownWorker) await startWorker(c.fault.workerEnv?.(markerDir));

    const ctx: CaseContext = {
      rotation: r,
      outageSeconds: settings.outageSeconds,
      worker: () => workers[workers.length - 1],
      killWorker: () => workers[workers.length - 1].kill(),
      startWorker: () => startWorker(),
      killServer: () => env.killServer(),
      restartServer: () => env.restartServer(),
      async waitForState(state: RunState) {
        await until(async () => (handle ? (await progressOf(handle))?.state === state : false), `state ${state}`);
      },
      async waitForFrozen(activityId) {
        await until(() => existsSync(join(markerDir, `${activityId}.result.json`)), `${activityId} to complete`);
      },
      async completeFrozen(activityId) {
        const frozen = JSON.parse(
          readFileSync(join(markerDir, `${activityId}.result.json`), 'utf8'),
        ) as FrozenCompletion;
        const bytes = (b64: string) => Buffer.from(b64, 'base64');
        await env.connection.workflowService.respondActivityTaskCompleted({
          namespace: env.namespace,
          taskToken: bytes(frozen.taskToken),
          identity: 'reliability-matrix (for the frozen worker)',
          result: {
            payloads: [
              {
                metadata: Object.fromEntries(Object.entries(frozen.payload.metadata).map(([k, v]) => [k, bytes(v)])),
                data: bytes(frozen.payload.data),
              },
            ],
          },
        });
      },
      async firstTaskAfter(activityId) {
        let found: { identity: string; at: number } | undefined;
        await until(async () => {
          if (!handle) return false;
          const events = await handle
            .fetchHistory()
            .then((h) => h.events ?? [])
            .catch(() => []);
          const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityId === activityId);
          if (!scheduled) return false;
          const done = events.findIndex(
            (e) => Number(e.activityTaskCompletedEventAttributes?.scheduledEventId) === Number(scheduled.eventId),
          );
          const task =
            done < 0 ? undefined : events.slice(done + 1).find((e) => e.workflowTaskCompletedEventAttributes);
          if (!task) return false;
          found = { identity: task.workflowTaskCompletedEventAttributes?.identity ?? '', at: tsToMs(task.eventTime) };
          return true;
        }, `the first workflow task after ${activityId}`);
        return found!;
      },
      releaseFrozen(activityId) {
        writeFileSync(join(markerDir, `${activityId}.release`), '');
      },
      afterResponse(route, fn) {
        responded.push({ route, fn });
      },
      note,
      within,
      sleep,
    };

    const injection = c.fault
      .inject(ctx)
      .then(() => {
        injectionDone = true;
      })
      .catch((err) => {
        injectionDone = true;
        note(`fault injection did not complete: ${err instanceof Error ? err.message : err}`);
      });

    handle = await env.client.workflow.start(WORKFLOW_TYPE, { taskQueue, workflowId, args: [r.input] });
    const h = handle;
    const attentionSeen = new Map<string, number>();
    const approved = new Set<string>();
    let lastProgress: RunProgress | undefined;
    let status: string | undefined;

    while (Date.now() < deadline) {
      status = await statusOf(h);
      if (status && status !== 'RUNNING') break;
      if (c.fault.decideAfterInjection && !injectionDone) {
        await sleep(250);
        continue;
      }
      const progress = await progressOf(h);
      if (progress) lastProgress = progress;
      const pending = progress?.pendingApproval;
      if (progress?.state === 'awaiting-approval' && pending && !approved.has(pending.approvalId)) {
        approved.add(pending.approvalId);
        const args = { stepId: pending.stepId, approvalId: pending.approvalId, by: 'operator' };
        try {
          if (c.approveVia === 'update') await h.executeUpdate(approveUpdate, { args: [args] });
          else await h.signal(approveSignal, args);
          actions.push(`approve ${pending.stepId} (${c.approveVia})`);
        } catch (err) {
          approved.delete(pending.approvalId);
          note(`approve failed: ${err instanceof Error ? err.message : err}`);
        }
      } else if (progress?.state === 'needs-attention' && progress.attention) {
        const a = progress.attention;
        note(
          `needs-attention at ${a.stepId} (choices: ${(a.choices ?? []).join(', ')}): ${a.reason}; known: ${a.known}`,
        );
        actions.push(await decide(h, r, progress, attentionSeen));
      }
      await sleep(300);
    }
    await within(injection, 'the fault injection to finish').catch(() => {});

    // Where the run ended, as the server says.
    status = await statusOf(h);
    if (status === 'COMPLETED') {
      const result = (await h.result()) as ArazzoRunResult;
      finalState = result.status;
      completed = result.status === 'completed';
      settled = true;
    } else if (status && CLOSED[status]) {
      finalState = CLOSED[status];
      settled = true;
    } else {
      const progress = (await progressOf(h)) ?? lastProgress;
      finalState = progress?.state ?? 'unknown';
      settled = finalState === 'needs-attention' || finalState === 'awaiting-approval';
      finalState = `${finalState} at deadline`;
    }
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
    note(`harness error: ${error}`);
  }

  let invariants: InvariantResult;
  if (rotation) {
    try {
      invariants = await checkInvariants(rotation, { completed, settled }, env.sinkDir, handle);
    } catch (err) {
      invariants = unknownInvariants(`invariants not checked: ${err instanceof Error ? err.message : err}`);
    }
    if (c.fault.id.startsWith('429:')) {
      const route = c.fault.id.endsWith(c.rotation.revokeStep) ? c.rotation.routes.revoke : c.rotation.routes.verify;
      notes.push(...retryGaps(rotation, route));
    }
  } else {
    invariants = unknownInvariants('no simulator');
  }
  // A harness failure (a worker that would not start, ...) says nothing about the run being wedged.
  if (error && !settled) invariants.verdicts.notWedged = 'unknown';

  // Leave nothing behind: a run still open is terminated, the case's workers killed, the simulator closed.
  if (handle && (await statusOf(handle)) === 'RUNNING') {
    await handle.terminate('reliability matrix: case over').catch(() => {});
  }
  for (const w of workers) await w.kill();
  const audit = rotation ? auditTrail(rotation) : [];
  await rotation?.sim.close();
  return {
    spec: c,
    workflowId,
    invariants,
    finalState,
    seconds: (Date.now() - t0) / 1000,
    actions,
    notes,
    audit,
    error,
  };
}

function unknownInvariants(why: string): InvariantResult {
  return {
    verdicts: Object.fromEntries(INVARIANTS.map((n) => [n, 'unknown'])) as InvariantResult['verdicts'],
    findings: [why],
    heldBy: '?',
  };
}

/**
 * An operator's answer to a run that needs attention, following the options it prints: after an ambiguous create,
 * look the replacement up by the run's unique name at the provider and supply its id (or retry when nothing by that
 * name exists); otherwise retry once; when the same step needs attention again, abort with compensation.
 */
async function decide(
  h: WorkflowHandle,
  r: SeededRotation,
  progress: RunProgress,
  seen: Map<string, number>,
): Promise<string> {
  const attention = progress.attention!;
  const step = attention.stepId;
  const choices = attention.choices ?? ['retryStep', 'supplyOutputs', 'abort'];
  const times = (seen.get(step) ?? 0) + 1;
  seen.set(step, times);
  const by = 'operator';
  const abort = async (why: string) => {
    await h.executeUpdate(abortUpdate, { args: [{ by, reason: why, compensate: true }] });
    return `abort+compensate (${step}: ${why})`;
  };
  try {
    if (times > 2) return await abort('needed attention again after a retry');
    // The run will not offer the revocation while the new secret is held by nobody: undo what was created.
    if (/held by nobody/.test(attention.reason) && choices.includes('abort')) {
      return await abort('the new secret is lost; nothing may be revoked');
    }
    if (step === r.spec.createStep && choices.includes('supplyOutputs')) {
      const ids = await r.lookupByName();
      if (ids.length === 1) {
        const supply = {
          stepId: step,
          by,
          outputs: { [r.spec.idOutput]: ids[0] },
          comment: `found by name ${r.newName}`,
        };
        try {
          await h.executeUpdate(supplyOutputsUpdate, { args: [supply] });
          return `supplyOutputs {${r.spec.idOutput}} (found by name)`;
        } catch (err) {
          // Refused: the id alone loses the one-time secret. As the refusal says: continue knowing it is lost.
          if (!/secretLost/.test(String((err as { cause?: Error }).cause?.message ?? err))) throw err;
          await h.executeUpdate(supplyOutputsUpdate, { args: [{ ...supply, secretLost: true }] });
          return `supplyOutputs {${r.spec.idOutput}} refused (the secret is lost); repeated with secretLost`;
        }
      }
      if (ids.length === 0 && choices.includes('retryStep')) {
        await h.executeUpdate(retryStepUpdate, { args: [{ stepId: step, by, comment: 'nothing by that name' }] });
        return `retryStep ${step} (nothing by name)`;
      }
      return await abort(`${ids.length} credentials named ${r.newName}`);
    }
    if (choices.includes('retryStep') && times === 1) {
      await h.executeUpdate(retryStepUpdate, { args: [{ stepId: step, by }] });
      return `retryStep ${step}`;
    }
    if (choices.includes('abort')) return await abort(times > 1 ? 'failed again after a retry' : 'no other choice');
    return `no decision possible for ${step} (choices: ${choices.join(', ')})`;
  } catch (err) {
    return `decision on ${step} refused: ${err instanceof Error ? err.message : err}`;
  }
}
