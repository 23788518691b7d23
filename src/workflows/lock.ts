// One run per credential, enforced by Temporal itself: the lock is a child workflow whose id is the
// lock key, and Temporal never runs two workflows with one id at once, whoever starts them (our CLI,
// a Schedule, `temporal workflow start`). The lock ends when its holder closes in any way (completed,
// failed, cancelled, terminated): the parent close policy TERMINATE has the server end it, with no
// worker involved, so a crashed or terminated run never leaves a lock behind. A lock execution
// therefore normally ends as "Terminated (by parent close policy)"; that is its release, not an error.
//
// Why the close policy and not a release signal at the end (as runs did before the patch below): the
// signal cost the holder two more workflow tasks (signal delivered, lock completed), three events, and
// the lock one more task, about a fifth of a rotation's workflow CPU in the bench, to free the lock a
// few milliseconds earlier. The price: the lock is free shortly *after* the holder's result, so a run
// that meets a busy lock with onBusy "fail" looks once more after a short grace before failing.
// Continue-as-new still releases by signal, so the next run takes the lock again at once.
//
// A fresh run's first step does not wait for the lock's start to be recorded (interpreter.ts, patch
// `lockTakenWithFirstStep`): it is scheduled in the same workflow task, and its activity confirms with the
// server that this lock runs with that run as its parent before it sends anything (activities/lock-held.ts).
//
// The lock cannot be broken from outside by a cancel request (the Web UI's "Request Cancellation",
// `temporal workflow cancel`): it refuses it and says so (log, memo, current details). A terminate cannot be
// refused; the holder notices (the lock's result settles while it still holds it, `RunLock.lost`) and a
// run checks that before each destructive step (interpreter.ts), parking in needs-attention instead.
import {
  ApplicationFailure,
  CancellationScope,
  type ChildWorkflowHandle,
  condition,
  defineQuery,
  defineSignal,
  log,
  ParentClosePolicy,
  setCurrentDetails,
  setHandler,
  sleep,
  startChild,
  upsertMemo,
  WorkflowIdReusePolicy,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { isPatched } from './patches.js';
import type { LockOptions } from './types.js';

/** The lock's one message: the run that holds it is done (continue-as-new, and runs before the patch). */
export const releaseLockSignal = defineSignal('release');

export interface LockHolderInput {
  key: string;
  holderWorkflowId: string;
}

/** What the lock says about itself: its key, its holder, and the cancel requests it refused. */
export interface LockView {
  key: string;
  holderWorkflowId: string;
  cancelRequestsRefused: number;
}

export const lockQuery = defineQuery<LockView>('lock');

/** The lock itself: it only waits to be released (a signal) or ended with its holder (close policy). */
export async function arazzoLock(input: LockHolderInput): Promise<void> {
  let released = false;
  setHandler(releaseLockSignal, () => {
    released = true;
  });
  if (!isPatched('lockRefusesCancel')) {
    await condition(() => released);
    return;
  }
  const view: LockView = { key: input.key, holderWorkflowId: input.holderWorkflowId, cancelRequestsRefused: 0 };
  setHandler(lockQuery, () => view);
  setCurrentDetails(`lock **${input.key}** held by \`${input.holderWorkflowId}\`; it ends with its holder`);
  // A cancelled lock would free the credential while its holder still works on it: refuse, and say so.
  CancellationScope.current().cancelRequested.catch(() => {
    view.cancelRequestsRefused += 1;
    const why = `cancel request refused: this lock guards ${input.key} for ${input.holderWorkflowId} and ends with it; cancel or abort the holder instead`;
    log.warn(why, { lockWorkflowId: workflowInfo().workflowId });
    upsertMemo({ arazzoLockCancelRefused: why });
    setCurrentDetails(`lock **${input.key}** held by \`${input.holderWorkflowId}\`\n\n${why}`);
  });
  await CancellationScope.nonCancellable(() => condition(() => released));
}

/** How long a run with onBusy "fail" gives a just-finished holder's lock to end before it fails. */
const FAIL_GRACE = '2s';

export interface HeldLock {
  handle: ChildWorkflowHandle<typeof arazzoLock>;
  /** Ends with the holder (parent close policy); older runs signal it instead. */
  releasedOnClose: boolean;
  /** Set when the lock ended while still held (terminated from outside): how it ended. */
  lost?: string;
  /** Set when the holder lets it go (its end is then no loss). */
  releasing?: boolean;
}

export function lockWorkflowId(key: string): string {
  return `arazzo-lock:${key}`;
}

export interface AcquireOptions {
  onBusy: 'wait' | 'fail';
  pollInterval: string;
  holderWorkflowId: string;
  /** Called once when the lock is found busy and the run starts waiting. */
  onWait?: () => void;
}

export async function acquireLock(key: string, options: AcquireOptions): Promise<HeldLock> {
  const releasedOnClose = isPatched('lockReleasedOnClose');
  let waited = false;
  let graceUsed = false;
  for (;;) {
    try {
      const handle = await startChild(arazzoLock, {
        workflowId: lockWorkflowId(key),
        args: [{ key, holderWorkflowId: options.holderWorkflowId }],
        parentClosePolicy: ParentClosePolicy.TERMINATE,
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        staticSummary: `lock ${key} held by ${options.holderWorkflowId}`,
      });
      const held: HeldLock = { handle, releasedOnClose };
      // A lock that ends while held was ended from outside (it refuses cancellation): the holder must know.
      handle.result().then(
        () => {
          if (!held.releasing) held.lost = 'ended';
        },
        (err: unknown) => {
          if (!held.releasing) held.lost = describeLockEnd(err);
        },
      );
      return held;
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      if (options.onBusy === 'fail' && releasedOnClose && !graceUsed) {
        graceUsed = true;
        await sleep(FAIL_GRACE, { summary: `lock ${key} busy: looking once more` });
        continue;
      }
      if (options.onBusy === 'fail') {
        throw ApplicationFailure.create({
          type: 'LockBusy',
          message: `another run holds the lock "${key}" (workflow ${lockWorkflowId(key)}); started with lock.onBusy "fail"`,
          nonRetryable: true,
        });
      }
      if (!waited) options.onWait?.();
      waited = true;
      await sleep(options.pollInterval, { summary: `waiting for lock ${key}` });
    }
  }
}

/**
 * Frees the lock. When the holder is about to close (`closing`), a lock that ends with its holder needs
 * nothing; otherwise (continue-as-new takes it again at once, older runs) it is signalled and awaited.
 */
export async function releaseLock(lock: HeldLock | undefined, closing: boolean): Promise<void> {
  if (lock) lock.releasing = true;
  if (!lock || (closing && lock.releasedOnClose)) return;
  await lock.handle.signal(releaseLockSignal);
  await lock.handle.result();
}

/** The lock a run holds, if any: taken after the plan is known, let go when the run ends or continues. */
export class RunLock {
  private held?: HeldLock;
  private heldKey?: string;
  private takeAgain?: () => Promise<void>;

  async take(key: string, options: LockOptions | undefined, holderWorkflowId: string, onWait: () => void) {
    this.heldKey = key;
    this.takeAgain = () => this.take(key, options, holderWorkflowId, onWait);
    this.held = await acquireLock(key, {
      onBusy: options?.onBusy ?? 'wait',
      pollInterval: options?.pollInterval ?? '5s',
      holderWorkflowId,
      onWait,
    });
  }

  /** The key held, if any. */
  get key(): string | undefined {
    return this.heldKey;
  }

  /** Takes the same lock again, as it was taken first (after it was lost). */
  async retake(): Promise<void> {
    await this.takeAgain?.();
  }

  /** How the lock this run holds ended from outside (e.g. "terminated"), or undefined while it guards. */
  lost(): string | undefined {
    return this.held?.lost;
  }

  /** `closing`: the run ends right after this (a lock that ends with its holder needs nothing). Never throws. */
  async release(closing = true): Promise<void> {
    const held = this.held;
    this.held = undefined;
    if (held) await releaseLock(held, closing).catch(() => undefined);
  }
}

/** "terminated", "cancelled", "timed out" or "failed": how a lock child ended, from its failure. */
function describeLockEnd(err: unknown): string {
  const cause = (err as { cause?: { name?: string } } | undefined)?.cause;
  switch (cause?.name) {
    case 'TerminatedFailure':
      return 'terminated';
    case 'CancelledFailure':
      return 'cancelled';
    case 'TimeoutFailure':
      return 'timed out';
    default:
      return 'failed';
  }
}
