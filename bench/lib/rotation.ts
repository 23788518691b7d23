// One Prisma rotation, started as the interpreter running the corrected Arazzo document, as the
// interpreter running a copy of it without `x-lock-key` (lib/unlocked-document.ts: no lock child), as the
// hand-written workflow keeping the product's promises (handwritten/promised-workflow.ts), or as the
// hand-written baseline; each on its own freshly seeded database and connection (so each run has its own
// lock key).
import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { PrismaSimulator } from '../../src/simulators/index.js';
import { lockWorkflowId } from '../../src/workflows/lock.js';
import type { ArazzoRunInput, ArazzoRunResult } from '../../src/workflows/types.js';
import type { HandwrittenPromisedInput, PromiseSet } from '../handwritten/promised-workflow.js';
import type { HandwrittenRotationInput } from '../handwritten/workflow.js';
import type { BundleName } from './environment.js';
import { nowMs } from './time.js';

export type Variant = 'interpreter' | 'interpreter-unlocked' | 'handwritten-promised' | 'handwritten';
export const VARIANTS: readonly Variant[] = [
  'interpreter',
  'interpreter-unlocked',
  'handwritten-promised',
  'handwritten',
];

/** The workflow bundle (and so the worker child) each variant runs on: both interpreter variants share one. */
export const BUNDLE: Record<Variant, BundleName> = {
  interpreter: 'interpreter',
  'interpreter-unlocked': 'interpreter',
  'handwritten-promised': 'handwritten-promised',
  handwritten: 'handwritten',
};

/** The lock key of a rotation of one seeded connection: the document's `x-lock-key`, given to the promised variant too. */
function prismaLockKey(databaseId: string, connectionId: string): string {
  return `prisma:${databaseId}:${connectionId}`;
}

export const PRISMA_DOCUMENT = 'arazzo/rotations/prisma-rotate-connection.arazzo.yaml';
/**
 * The copy of PRISMA_DOCUMENT without `x-lock-key`, relative to the worker's document root (the repository):
 * in the bench's git-ignored scratch folder, written by the scenario that uses it (writeUnlockedRotation).
 */
export const UNLOCKED_PRISMA_DOCUMENT = 'bench/results/work/prisma-rotate-connection-unlocked.arazzo.yaml';

export interface RotationOptions {
  /** Wait for approval before the DELETE (the document's default; the hand-written one parks alike). */
  approval?: boolean;
  /** `handwritten-promised` only: which promises to keep (all when absent; the promise ladder). */
  keep?: PromiseSet;
}

export interface StartedRotation {
  handle: WorkflowHandle;
  /** The run's lock workflow id (the lock is a child workflow with its own history); none without a lock. */
  lockWorkflowId?: string;
  startedAt: number;
}

export async function startRotation(
  client: Client,
  sim: PrismaSimulator,
  taskQueue: string,
  variant: Variant,
  options: RotationOptions = {},
): Promise<StartedRotation> {
  const seeded = sim.seed();
  const newName = `bench-${randomUUID().slice(0, 8)}`;
  const workflowId = `bench-${variant}-${randomUUID()}`;
  const startedAt = nowMs();
  const lockKey = prismaLockKey(seeded.databaseId, seeded.connectionId);
  if (variant === 'handwritten' || variant === 'handwritten-promised') {
    const input: HandwrittenRotationInput = {
      baseUrl: sim.baseUrl,
      apiToken: seeded.serviceToken,
      databaseId: seeded.databaseId,
      oldConnectionId: seeded.connectionId,
      newName,
      ...(options.approval ? { approval: true } : {}),
    };
    if (variant === 'handwritten') {
      const handle = await client.workflow.start('handwrittenRotation', { taskQueue, workflowId, args: [input] });
      return { handle, startedAt };
    }
    const promised: HandwrittenPromisedInput = {
      ...input,
      document: PRISMA_DOCUMENT,
      servers: { prismaManagementApi: sim.baseUrl },
      lockKey,
      ...(options.keep ? { keep: options.keep } : {}),
    };
    const handle = await client.workflow.start('handwrittenPromisedRotation', {
      taskQueue,
      workflowId,
      args: [promised],
    });
    const locked = options.keep?.lock ?? true;
    return {
      handle,
      ...(locked ? { lockWorkflowId: lockWorkflowId(lockKey) } : {}),
      startedAt,
    };
  }
  const unlocked = variant === 'interpreter-unlocked';
  const input: ArazzoRunInput = {
    document: unlocked ? UNLOCKED_PRISMA_DOCUMENT : PRISMA_DOCUMENT,
    inputs: {
      apiToken: seeded.serviceToken,
      databaseId: seeded.databaseId,
      oldConnectionId: seeded.connectionId,
      newName,
    },
    servers: { prismaManagementApi: sim.baseUrl },
    approval: options.approval ? undefined : { mode: 'none' },
  };
  const handle = await client.workflow.start('arazzoRun', { taskQueue, workflowId, args: [input] });
  if (unlocked) return { handle, startedAt };
  return { handle, lockWorkflowId: lockWorkflowId(lockKey), startedAt };
}

/** Waits for the run and checks it really rotated; returns its wall time from start to result. */
export async function finishRotation(variant: Variant, started: StartedRotation): Promise<number> {
  const result = await started.handle.result();
  const ms = nowMs() - started.startedAt;
  if (BUNDLE[variant] === 'interpreter' && (result as ArazzoRunResult).status !== 'completed') {
    throw new Error(`${started.handle.workflowId} ended ${(result as ArazzoRunResult).status}`);
  }
  return ms;
}

export async function runRotation(
  client: Client,
  sim: PrismaSimulator,
  taskQueue: string,
  variant: Variant,
): Promise<{ ms: number; started: StartedRotation }> {
  const started = await startRotation(client, sim, taskQueue, variant);
  return { ms: await finishRotation(variant, started), started };
}
