// The hand-written baseline: the corrected Prisma rotation as a plain Temporal workflow, with the
// interpreter's retry policies (idempotent calls retried with backoff, the POST never) and the same
// per-step timeout (30 s HTTP + 5 s).
import { proxyActivities } from '@temporalio/workflow';
import type { HandwrittenActivities, PrismaTarget } from './activities.js';

const idempotent = proxyActivities<HandwrittenActivities>({
  startToCloseTimeout: '35s',
  retry: { maximumAttempts: 5, initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
});
const once = proxyActivities<HandwrittenActivities>({ startToCloseTimeout: '35s', retry: { maximumAttempts: 1 } });

export interface HandwrittenRotationInput extends PrismaTarget {
  databaseId: string;
  oldConnectionId: string;
  newName: string;
}

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
  await idempotent.hwDeleteConnection(target, input.oldConnectionId);
  return {
    newConnectionId: created.id,
    newConnectionString: created.connectionString,
    revokedConnectionId: input.oldConnectionId,
  };
}
