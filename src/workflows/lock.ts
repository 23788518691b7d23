// One run per credential, enforced by Temporal itself: the lock is a child workflow whose id is the
// lock key, and Temporal never runs two workflows with one id at once, whoever starts them (our CLI,
// a Schedule, `temporal workflow start`). The child ends when the holder releases it or, as a safety
// net, when the holder closes in any way (parent close policy TERMINATE), so a crashed or terminated
// run never leaves a lock behind.
import {
  ApplicationFailure,
  type ChildWorkflowHandle,
  condition,
  ParentClosePolicy,
  setHandler,
  sleep,
  startChild,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { releaseLockSignal } from './messages.js';

export interface LockHolderInput {
  key: string;
  holderWorkflowId: string;
}

/** The lock itself: it only waits to be released. */
export async function arazzoLock(_input: LockHolderInput): Promise<void> {
  let released = false;
  setHandler(releaseLockSignal, () => {
    released = true;
  });
  await condition(() => released);
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

export async function acquireLock(
  key: string,
  options: AcquireOptions,
): Promise<ChildWorkflowHandle<typeof arazzoLock>> {
  let waited = false;
  for (;;) {
    try {
      return await startChild(arazzoLock, {
        workflowId: lockWorkflowId(key),
        args: [{ key, holderWorkflowId: options.holderWorkflowId }],
        parentClosePolicy: ParentClosePolicy.TERMINATE,
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        staticSummary: `lock ${key} held by ${options.holderWorkflowId}`,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
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

export async function releaseLock(handle: ChildWorkflowHandle<typeof arazzoLock> | undefined): Promise<void> {
  if (!handle) return;
  await handle.signal(releaseLockSignal);
  await handle.result();
}
