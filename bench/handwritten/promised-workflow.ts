// The hand-written rotation keeping the product's promises, and nothing else of the interpreter: the
// floor that a run keeping those promises costs, however fast the interpreter gets (bench scenario 1's
// fourth variant, bench/README.md). Each promise is kept the way the interpreter keeps it, with the same
// code where the code is shared, so the difference to the plain hand-written workflow is what the promises
// cost and the difference to the interpreter is what interpreting costs:
// - one run per credential, enforced by Temporal whoever starts the run: the same lock child
//   (src/workflows/lock.ts, `arazzoLock`, which refuses a cancel request and says so), started in the same
//   workflow task as the first call, whose activity confirms the lock is held before it sends anything
//   (src/activities/lock-held.ts); the DELETE is not sent once the lock was ended from outside;
// - the document pinned in the run, readable in the Web UI and `temporal workflow show`: the interpreter's
//   own load result for the same document, returned by a local activity in the first workflow task and
//   recorded in its marker (the worker loads it once: the floor pays for pinning, not for loading);
// - runs found by state: the same search attributes, upserted when the state changes;
// - workflow code versioned by `patched()`: the same baseline marker (src/workflows/patches.ts, through the
//   lock's own `isPatched`).
// With `approval`, it parks before the DELETE exactly as the plain hand-written workflow does.
import { ApplicationFailure, type SearchAttributePair } from '@temporalio/common';
import { proxyLocalActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { ArazzoState, ArazzoStep, ArazzoWorkflowId } from '../../src/workflows/contract.js';
import { acquireLock, type HeldLock, lockWorkflowId } from '../../src/workflows/lock.js';
import type { HandwrittenActivities, PrismaTarget } from './activities.js';
import {
  type HandwrittenRotationInput,
  type HandwrittenRotationResult,
  idempotent,
  once,
  parkForApproval,
} from './workflow.js';

// As the interpreter loads its plan: a local activity, run inside the first workflow task.
const { hwPinnedPlan } = proxyLocalActivities<HandwrittenActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 3 },
});

export interface HandwrittenPromisedInput extends HandwrittenRotationInput {
  /** The Arazzo document whose plan is pinned in the run, relative to the worker's document root. */
  document: string;
  /** The document's server URLs, as the interpreter's run is given them. */
  servers: Record<string, string>;
  /** The credential's lock key, as the document's `x-lock-key` gives it to the interpreter. */
  lockKey: string;
  /**
   * Which promises to keep (all when absent): the bench's promise ladder keeps one at a time, to show what
   * each costs. A run that parks for approval needs `searchAttributes` to be found parked.
   */
  keep?: PromiseSet;
}

/** The promises a run keeps beyond the plain hand-written workflow (the patch marker comes with the lock). */
export interface PromiseSet {
  lock: boolean;
  plan: boolean;
  searchAttributes: boolean;
}

const ALL: PromiseSet = { lock: true, plan: true, searchAttributes: true };

export async function handwrittenPromisedRotation(input: HandwrittenPromisedInput): Promise<HandwrittenRotationResult> {
  const target: PrismaTarget = { baseUrl: input.baseUrl, apiToken: input.apiToken };
  const keep = input.keep ?? ALL;
  const workflowId = keep.plan
    ? (
        await hwPinnedPlan(input.document, input.servers, {
          apiToken: input.apiToken,
          databaseId: input.databaseId,
          oldConnectionId: input.oldConnectionId,
          newName: input.newName,
        })
      ).plan.workflowId
    : 'rotateConnection';
  // As the run state does: one upsert per state change, of the values that changed.
  const upserted = new Map<string, string>();
  const upsert = (state: string, step: string) => {
    if (!keep.searchAttributes) return;
    const values: SearchAttributePair[] = [
      { key: ArazzoWorkflowId, value: workflowId },
      { key: ArazzoState, value: state },
      { key: ArazzoStep, value: step },
    ];
    const changed = values.filter((p) => upserted.get(p.key.name) !== p.value);
    for (const p of changed) upserted.set(p.key.name, p.value as string);
    if (changed.length) upsertSearchAttributes(changed);
  };
  upsert('running', 'getDatabase');

  // The lock's start and the first call in one workflow task; the call confirms the lock before it sends.
  const key = input.lockKey;
  let lock: HeldLock | undefined;
  if (keep.lock) {
    const taking = acquireLock(key, {
      onBusy: 'wait',
      pollInterval: '5s',
      holderWorkflowId: workflowInfo().workflowId,
    });
    await idempotent.hwGetDatabase(target, input.databaseId, lockWorkflowId(key)).catch(async (err: unknown) => {
      if ((err as { cause?: { type?: string } }).cause?.type !== 'LockNotHeld') throw err;
      await taking;
      return idempotent.hwGetDatabase(target, input.databaseId);
    });
    lock = await taking;
  } else {
    await idempotent.hwGetDatabase(target, input.databaseId);
  }

  await idempotent.hwGetConnection(target, input.oldConnectionId, input.databaseId);
  const created = await once.hwCreateConnection(target, input.databaseId, input.newName);
  await idempotent.hwGetConnection(target, created.id, input.databaseId);
  if (input.approval) await parkForApproval((state) => upsert(state, 'deleteOldConnection'));
  if (lock?.lost) {
    throw ApplicationFailure.nonRetryable(`the lock ${key} was ${lock.lost} while held: the DELETE is not sent`);
  }
  await idempotent.hwDeleteConnection(target, input.oldConnectionId);
  upsert('completed', 'deleteOldConnection');
  return {
    newConnectionId: created.id,
    newConnectionString: created.connectionString,
    revokedConnectionId: input.oldConnectionId,
  };
}
