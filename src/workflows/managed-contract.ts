// The managed credential's public contract: its workflow type and id, its messages (each a signal and
// an update of the same name: `temporal workflow signal` works, our CLI gets a refusal at once), its
// query, what it takes and what it shows. The CLI, the tests and the workflow import from here.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ManagedSpec } from '../arazzo/managed/managed-spec.js';
import type { ArazzoRunInput, RunState } from './types.js';

/** `temporal workflow list --query "WorkflowType = 'arazzoManagedCredential'"`. */
export const MANAGED_WORKFLOW_TYPE = 'arazzoManagedCredential';

/**
 * One managed credential per credential: the workflow id is derived from the document's lock key as it
 * reads with the inputs the credential was first managed with, and Temporal runs one workflow per id.
 */
export function managedWorkflowId(lockKey: string): string {
  return `arazzo-managed:${lockKey}`;
}

/** The id of rotation `n` of a managed credential (a child run of the interpreter). */
export function rotationWorkflowId(managedId: string, n: number): string {
  return `${managedId}/rotation-${n}`;
}

export interface ManagedCredentialInput {
  /** The rotation to run: document, workflowId, the credential's current inputs (secrets only as references), servers, ... */
  run: Omit<ArazzoRunInput, 'plan' | 'planDigest' | 'resume'>;
  /** How often: a Temporal duration (`30d`, `12h`, `10s`), counted from when the credential is managed. */
  every?: string;
  /** Or when: a five-field cron expression in UTC (`0 3 1 * *`); exactly one of `every` and `cron`. */
  cron?: string;
  /** The first rotation's due time (ISO 8601); default: one `every` from now. */
  firstDueAt?: string;
  /** A rotate-now while a rotation runs: `refuse` it (default) or `queue` it to start right after. */
  onBusy?: 'refuse' | 'queue';
  /** Back-off after a failed or rejected rotation: first delay (default 1m), doubled up to `maximum` (default `every`, or 1d with `cron`). */
  retry?: { initial?: string; maximum?: string };
  /** How many rotations the history keeps (the newest); default 20. */
  historyLimit?: number;
  /** Continue as new (between rotations) once history has this many events; default 2,000. */
  continueAsNewAfterEvents?: number;
  /** Internal: the record carried across continue-as-new. */
  resume?: ManagedRecord;
}

export type ManagedState = 'scheduled' | 'rotating' | 'backing-off' | 'paused' | 'retired';

export interface RotationRecord {
  number: number;
  workflowId: string;
  trigger: 'schedule' | 'rotate-now' | 'retry';
  /** Who asked (rotate-now). */
  by?: string;
  startedAt: string;
  endedAt?: string;
  status: RunState | 'running';
  /** Who approved its destructive steps. */
  approvedBy?: string[];
  /** The identifiers moved into place after it (x-managed carry). */
  carried?: Record<string, string>;
  message?: string;
}

export interface ManagedEvent {
  what: string;
  by?: string;
  at: string;
}

/** Everything the managed credential keeps; carried whole across continue-as-new. Never a secret value. */
export interface ManagedRecord {
  /** The inputs of the next rotation (identifiers, metadata, secret references). */
  inputs: Record<string, unknown>;
  /** The given values of per-rotation inputs (each rotation appends its number). */
  base: Record<string, unknown>;
  spec: ManagedSpec;
  /** The Arazzo search attributes this namespace has. */
  searchAttributes: string[];
  state: ManagedState;
  nextDueAt?: string;
  /** Rotations started so far (the next one's number is this + 1). */
  started: number;
  completed: number;
  failuresInRow: number;
  current?: RotationRecord;
  /** A rotate-now accepted while a rotation ran (onBusy `queue`). */
  queued?: { by: string; at: string };
  paused?: { by: string; reason?: string; at: string };
  retired?: { by: string; reason?: string; at: string };
  /** The newest rotations, newest last (bounded by historyLimit). */
  history: RotationRecord[];
  historyDropped: number;
  /** Pause, resume, rotate-now, retire, refusals, cancel requests: the newest 20. */
  events: ManagedEvent[];
}

/** The `managed` query: the record and the settings it runs with. */
export interface ManagedView extends ManagedRecord {
  document: string;
  workflowId?: string;
  every?: string;
  cron?: string;
  onBusy: 'refuse' | 'queue';
}

export interface ManagedResult {
  state: ManagedState;
  completed: number;
  history: RotationRecord[];
  inputs: Record<string, unknown>;
}

export interface RotateNowArgs {
  by: string;
  reason?: string;
}
export interface PauseArgs {
  by: string;
  reason?: string;
}
export interface ResumeArgs {
  by: string;
}
export interface RetireArgs {
  by: string;
  reason?: string;
}

export const managedQuery = defineQuery<ManagedView>('managed');

export const rotateNowSignal = defineSignal<[RotateNowArgs]>('rotateNow');
export const pauseSignal = defineSignal<[PauseArgs]>('pause');
export const resumeSignal = defineSignal<[ResumeArgs]>('resume');
export const retireSignal = defineSignal<[RetireArgs]>('retire');

export const rotateNowUpdate = defineUpdate<string, [RotateNowArgs]>('rotateNow');
export const pauseUpdate = defineUpdate<string, [PauseArgs]>('pause');
export const resumeUpdate = defineUpdate<string, [ResumeArgs]>('resume');
export const retireUpdate = defineUpdate<string, [RetireArgs]>('retire');
