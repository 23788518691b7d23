// The hand-written baseline: the corrected Prisma rotation as a plain Temporal workflow, with the
// interpreter's retry policies (idempotent calls retried with backoff, the POST never) and the same
// per-step timeout (30 s HTTP + 5 s). With `approval`, it parks before the DELETE until an `approve`
// signal, with the same search attribute the interpreter sets, so bench scenario 4 can park both alike.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { condition, defineSignal, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { HandwrittenActivities, PrismaTarget } from './activities.js';

export const idempotent = proxyActivities<HandwrittenActivities>({
  startToCloseTimeout: '35s',
  retry: { maximumAttempts: 5, initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
});
export const once = proxyActivities<HandwrittenActivities>({
  startToCloseTimeout: '35s',
  retry: { maximumAttempts: 1 },
});

export interface HandwrittenRotationInput extends PrismaTarget {
  databaseId: string;
  oldConnectionId: string;
  newName: string;
  /** Wait for the `approve` signal before the DELETE, findable meanwhile as ArazzoState = 'awaiting-approval'. */
  approval?: boolean;
}

/** The interpreter's search attribute for its state: what a query for parked runs filters on. */
const ArazzoState = defineSearchAttributeKey('ArazzoState', SearchAttributeType.KEYWORD);
export const approveSignal = defineSignal<[unknown]>('approve');

export interface HandwrittenRotationResult {
  newConnectionId: string;
  newConnectionString: string;
  revokedConnectionId: string;
}

export async function handwrittenRotation(input: HandwrittenRotationInput): Promise<HandwrittenRotationResult> {
  const target: PrismaTarget = { baseUrl: input.baseUrl, apiToken: input.apiToken };
  await idempotent.hwGetDatabase(target, input.databaseId);
  await idempotent.hwGetConnection(target, input.oldConnectionId, input.databaseId);
  const created = await once.hwCreateConnection(target, input.databaseId, input.newName);
  await idempotent.hwGetConnection(target, created.id, input.databaseId);
  if (input.approval) await parkForApproval((state) => upsertSearchAttributes([{ key: ArazzoState, value: state }]));
  await idempotent.hwDeleteConnection(target, input.oldConnectionId);
  return {
    newConnectionId: created.id,
    newConnectionString: created.connectionString,
    revokedConnectionId: input.oldConnectionId,
  };
}

/** Waits for the `approve` signal; `mark` makes the run findable as parked, then as running again. */
export async function parkForApproval(mark: (state: 'awaiting-approval' | 'running') => void): Promise<void> {
  let approved = false;
  setHandler(approveSignal, () => {
    approved = true;
  });
  mark('awaiting-approval');
  await condition(() => approved);
  mark('running');
}
