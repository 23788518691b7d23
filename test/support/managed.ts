// Helpers for managed-credential tests: start one, follow its rotations, approve each as it waits.
import type { WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import {
  MANAGED_WORKFLOW_TYPE,
  type ManagedCredentialInput,
  type ManagedView,
  managedQuery,
  managedWorkflowId,
} from '../../src/workflows/managed-contract.js';
import type { TemporalTestEnv } from './temporal.js';
import { waitForState } from './rotation.js';

export async function startManaged(
  env: TemporalTestEnv,
  taskQueue: string,
  lockKey: string,
  input: ManagedCredentialInput,
): Promise<WorkflowHandleWithFirstExecutionRunId> {
  return env.client.workflow.start(MANAGED_WORKFLOW_TYPE, {
    taskQueue,
    workflowId: managedWorkflowId(lockKey),
    args: [input],
  });
}

/** Polls the `managed` query until `done` holds (or fails after `timeoutMs`). */
export async function waitForManaged(
  handle: WorkflowHandle,
  done: (view: ManagedView) => boolean,
  timeoutMs = 60_000,
): Promise<ManagedView> {
  const deadline = Date.now() + timeoutMs;
  let last: ManagedView | undefined;
  while (Date.now() < deadline) {
    last = await handle.query(managedQuery).catch(() => last);
    if (last && done(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`managed credential ${handle.workflowId} did not get there; last: ${JSON.stringify(last)}`);
}

/**
 * Approves rotation `number` of a managed credential when it waits for approval (as a person would, by
 * the rotation's workflow id), and returns once the credential has recorded it.
 */
export async function approveRotation(env: TemporalTestEnv, managed: WorkflowHandle, number: number, by: string) {
  const running = await waitForManaged(managed, (v) => v.current?.number === number);
  const rotation = env.client.workflow.getHandle(running.current!.workflowId);
  const waiting = await waitForState(rotation, 'awaiting-approval');
  await rotation.executeUpdate('approve', {
    args: [{ stepId: waiting.pendingApproval!.stepId, approvalId: waiting.pendingApproval!.approvalId, by }],
  });
  return waitForManaged(managed, (v) => v.history.some((h) => h.number === number));
}
