// The faults of the matrix, per rotation. Each is what an outage looks like from outside: a worker process SIGKILLed
// (at a step boundary, while awaiting approval, or with a request in flight) and a new one started; the Temporal
// server SIGKILLed and started again after an outage of some seconds; or the provider being slow, dropping the
// connection before or after it changed its state, or answering 429 with Retry-After.
import type { FaultPhase } from '../../src/simulators/index.js';
import type { RunState } from '../../src/workflows/types.js';
import type { WorkerHandle } from './environment.js';
import type { RotationSpec, SeededRotation } from './rotations.js';

/** What a fault can do to its case (implemented in run-case.ts). */
export interface CaseContext {
  rotation: SeededRotation;
  /** Seconds the Temporal server stays down in a server fault. */
  outageSeconds: number;
  /** The case's current worker (its own ones only). */
  worker(): WorkerHandle;
  /** SIGKILL the case's current worker. */
  killWorker(): Promise<void>;
  /** Start a new worker for the case (no test hooks), as an operator or a supervisor would. */
  startWorker(): Promise<WorkerHandle>;
  killServer(): Promise<void>;
  restartServer(): Promise<void>;
  /** Resolves when the run's progress shows this state (polled; throws at the case deadline). */
  waitForState(state: RunState): Promise<void>;
  /** Resolves when the case's frozen worker (test/support/worker-process.ts hook) holds `activityId`'s result. */
  waitForFrozen(activityId: string): Promise<void>;
  /** Reports the frozen activity's completion to the server as the worker would have (it is then in history). */
  completeFrozen(activityId: string): Promise<void>;
  /** Lets the frozen worker go on. */
  releaseFrozen(activityId: string): void;
  /**
   * The first workflow task completed after `activityId`'s completion (from the run's history, polled until there is
   * one): which worker completed it, and when (ms since the epoch). Shows that a boundary fault hit the boundary.
   */
  firstTaskAfter(activityId: string): Promise<{ identity: string; at: number }>;
  /** Calls `fn` (once) right after the simulator answered a request on `route` with a 2xx. */
  afterResponse(route: string, fn: () => void): void;
  /** A line for the report: what the harness did and when. */
  note(text: string): void;
  /** The case's deadline: resolves when `promise` does, throws if the deadline comes first. */
  within<T>(promise: Promise<T>, what: string): Promise<T>;
  sleep(ms: number): Promise<void>;
}

export type FaultCategory = 'worker' | 'server' | 'provider';

export interface Fault {
  /** Stable id (`--only` filters on it), e.g. `worker-kill:after:createConnection`. */
  id: string;
  /** What the table shows. */
  label: string;
  category: FaultCategory;
  /** In `--quick` too. */
  quick: boolean;
  /** Nothing else may run meanwhile (the Temporal server goes down). */
  exclusive?: boolean;
  /** The case runs its own worker process (the shared one is never killed). */
  ownWorker?: boolean;
  /** Environment of the case's first worker (test hooks). */
  workerEnv?(markerDir: string): Record<string, string>;
  /** Approvals and operator decisions wait until `inject` has finished. */
  decideAfterInjection?: boolean;
  /** Arms the fault; runs alongside the run, which starts right after it is called. */
  inject(ctx: CaseContext): Promise<void>;
}

const freezeEnv = (activityId: string) => (markerDir: string) => ({
  ARAZZO_TEST_FREEZE_AFTER_STEP: activityId,
  ARAZZO_TEST_MARKER_DIR: markerDir,
});

async function restartWorker(ctx: CaseContext, why: string): Promise<void> {
  const pid = ctx.worker().pid;
  await ctx.killWorker();
  ctx.note(`SIGKILL worker ${pid} ${why}`);
  const next = await ctx.startWorker();
  ctx.note(`started worker ${next.pid}`);
}

async function serverOutage(ctx: CaseContext, why: string, whileDown?: () => void): Promise<void> {
  await ctx.killServer();
  ctx.note(`SIGKILL Temporal server ${why}`);
  whileDown?.();
  await ctx.sleep(ctx.outageSeconds * 1000);
  await ctx.restartServer();
  ctx.note(`server restarted after ${ctx.outageSeconds} s down`);
  if (!ctx.worker().alive()) {
    ctx.note('worker had exited during the outage');
    const next = await ctx.startWorker();
    ctx.note(`started worker ${next.pid}`);
  }
}

/**
 * The worker dies with a request of `route` in flight, held at the simulator at `phase`: before the provider acted
 * (the request is then let go, so the provider acts after the worker died and its answer goes to a dead socket) or
 * after it (the state changed, the answer is never received). Then a new worker starts.
 */
function inFlight(step: string, route: string, phase: FaultPhase, quick: boolean, armAfter?: string): Fault {
  const when = phase === 'before-state-change' ? 'the provider acts after the kill' : 'the provider acted before it';
  return {
    id: `worker-kill:in-flight:${step}`,
    label: `worker SIGKILL, ${step} in flight (${when})`,
    category: 'worker',
    quick,
    ownWorker: true,
    async inject(ctx) {
      const armed = new Promise<ReturnType<typeof ctx.rotation.sim.faults.hold>>((resolve) => {
        const arm = () => resolve(ctx.rotation.sim.faults.hold(route, { phase }));
        if (armAfter) ctx.afterResponse(armAfter, arm);
        else arm();
      });
      const hold = await ctx.within(armed, `the request before ${step}`);
      await ctx.within(hold.reached, `${step}'s request at the provider`);
      const pid = ctx.worker().pid;
      await ctx.killWorker();
      ctx.note(
        `SIGKILL worker ${pid} while ${step}'s request was held ${phase === 'before-state-change' ? 'before' : 'after'} the state change`,
      );
      hold.release();
      ctx.note(`released the held ${step} request`);
      const next = await ctx.startWorker();
      ctx.note(`started worker ${next.pid}`);
    },
  };
}

export function faultsFor(spec: RotationSpec): Fault[] {
  const { routes } = spec;
  const faults: Fault[] = [];

  // Worker SIGKILL exactly at each step boundary: the step's completion is in history, the next is not scheduled.
  for (const step of spec.steps) {
    faults.push({
      id: `worker-kill:after:${step}`,
      label: `worker SIGKILL after ${step}`,
      category: 'worker',
      quick: step === spec.createStep,
      ownWorker: true,
      workerEnv: freezeEnv(step),
      async inject(ctx) {
        await ctx.waitForFrozen(step);
        await ctx.completeFrozen(step);
        ctx.note(`${step} completed in history; its worker frozen before the next step`);
        await restartWorker(ctx, `after ${step} completed`);
        const task = await ctx.firstTaskAfter(step);
        const pid = ctx.worker().pid;
        ctx.note(
          task.identity.startsWith(`${pid}@`)
            ? `boundary confirmed: the first workflow task after ${step} was completed by the new worker ${pid}`
            : `⚠ boundary missed: the first workflow task after ${step} was completed by ${task.identity}`,
        );
      },
    });
  }
  faults.push({
    id: 'worker-kill:awaiting-approval',
    label: 'worker SIGKILL while awaiting approval',
    category: 'worker',
    quick: true,
    ownWorker: true,
    decideAfterInjection: true,
    async inject(ctx) {
      await ctx.waitForState('awaiting-approval');
      await restartWorker(ctx, 'while the run awaited approval');
    },
  });
  faults.push(inFlight(spec.createStep, routes.create, 'before-state-change', true));
  faults.push(inFlight(spec.verifyStep, routes.verify, 'before-state-change', false, routes.create));
  faults.push(inFlight(spec.revokeStep, routes.revoke, 'after-state-change', true));

  // The Temporal server SIGKILLed (persistent database) and started again after an outage.
  faults.push({
    id: `server-kill:after:${spec.createStep}`,
    label: `server SIGKILL after ${spec.createStep}`,
    category: 'server',
    quick: true,
    exclusive: true,
    ownWorker: true,
    workerEnv: freezeEnv(spec.createStep),
    async inject(ctx) {
      const step = spec.createStep;
      await ctx.waitForFrozen(step);
      await ctx.completeFrozen(step);
      ctx.note(`${step} completed in history; the worker frozen before the next step`);
      const down = Date.now();
      await serverOutage(ctx, `after ${step} completed`, () => ctx.releaseFrozen(step));
      const task = await ctx.firstTaskAfter(step);
      ctx.note(
        task.at > down + ctx.outageSeconds * 1000
          ? `boundary confirmed: the first workflow task after ${step} was completed after the restart`
          : `⚠ boundary missed: the first workflow task after ${step} was completed before the server went down`,
      );
    },
  });
  faults.push({
    id: 'server-kill:awaiting-approval',
    label: 'server SIGKILL while awaiting approval',
    category: 'server',
    quick: true,
    exclusive: true,
    ownWorker: true,
    decideAfterInjection: true,
    async inject(ctx) {
      await ctx.waitForState('awaiting-approval');
      await serverOutage(ctx, 'while the run awaited approval');
    },
  });

  // The provider: slow (under the step timeout), dropping the connection, rate limiting.
  const provider = (id: string, label: string, quick: boolean, arm: (ctx: CaseContext) => void): Fault => ({
    id,
    label,
    category: 'provider',
    quick,
    async inject(ctx) {
      arm(ctx);
    },
  });
  faults.push(
    provider(`latency:${spec.createStep}`, `provider latency 5 s on ${spec.createStep}`, true, (ctx) =>
      ctx.rotation.sim.faults.latency(routes.create, LATENCY_MS),
    ),
    provider(`latency:${spec.revokeStep}`, `provider latency 5 s on ${spec.revokeStep}`, false, (ctx) =>
      ctx.rotation.sim.faults.latency(routes.revoke, LATENCY_MS),
    ),
  );
  for (const [step, route] of [
    [spec.createStep, routes.create],
    [spec.revokeStep, routes.revoke],
  ] as const) {
    for (const phase of ['before-state-change', 'after-state-change'] as const) {
      const when = phase === 'before-state-change' ? 'before' : 'after';
      faults.push(
        provider(`drop:${step}:${when}`, `connection drop on ${step}, ${when} the state change`, true, (ctx) =>
          ctx.rotation.sim.faults.drop(route, { phase }),
        ),
      );
    }
  }
  faults.push(
    provider(`429:${spec.verifyStep}`, `429 Retry-After ${RETRY_AFTER_S} on ${spec.verifyStep}`, true, (ctx) =>
      ctx.afterResponse(routes.create, () =>
        ctx.rotation.sim.faults.status(routes.verify, 429, { retryAfterSeconds: RETRY_AFTER_S }),
      ),
    ),
    provider(`429:${spec.revokeStep}`, `429 Retry-After ${RETRY_AFTER_S} on ${spec.revokeStep}`, true, (ctx) =>
      ctx.rotation.sim.faults.status(routes.revoke, 429, { retryAfterSeconds: RETRY_AFTER_S }),
    ),
  );
  return faults;
}

export const LATENCY_MS = 5_000;
export const RETRY_AFTER_S = 3;
/** The run's per-step HTTP timeout: above the injected latency. */
export const STEP_TIMEOUT = '10s';
