// Every `patched()` marker the workflow code uses, in one table with its lifecycle. A change to workflow
// code that would not replay a recorded history goes behind a new entry here (the SDK's three steps):
//   1. `patched(id)`: new runs record the marker and take the new path; histories without it replay
//      the old path.
//   2. `deprecatePatch(id)`: once no open run and no kept fixture set lacks the marker, only the new
//      path remains; histories with the marker still replay.
//   3. Remove the entry once no open run and no kept fixture set has the marker either.
// test/unit/workflows/patches.test.ts checks this table against the committed fixture sets: the sets
// named in `recordedBefore` lack the marker, every later set has it (or the baseline below that covers
// it) where the path was taken.
//
// The baselines: every `patched()` call records a marker and the SDK's `TemporalChangeVersion` upsert,
// two history events per patch per run, paid by every new run forever for paths that only old histories
// lack. New runs record one baseline marker instead, which stands for every patch it covers; histories
// without it (recorded before it) still ask for each patch by its own marker and replay their own path.
// A patch added later gets a new baseline covering it and every earlier one: new runs record only the
// newest; a history recorded under an older baseline finds that one's marker and takes the paths it
// covers (and the old path of any patch added after it).
import { patched } from '@temporalio/workflow';

export interface PatchEntry {
  /** The marker id recorded in history. */
  id: string;
  /** What the new path does differently. */
  change: string;
  /** Fixture sets recorded without the marker (before it existed, or on a branch developed beside it):
   *  they replay the old path. */
  recordedBefore: string[];
  /** When step 2 (`deprecatePatch`) may be taken. */
  retire: string;
}

/** The sets recorded up to 2026-11-30-b: every patch added since then was recorded after all of them. */
const RECORDED_UP_TO_30B = [
  '2026-11-23-a',
  '2026-11-23-b',
  '2026-11-23-c',
  '2026-11-23-d',
  '2026-11-30-a',
  '2026-11-30-b',
];

/** Every set recorded before the first baseline (2026-11-30-h): they ask for each patch by its own marker. */
const RECORDED_UP_TO_30G = [
  ...RECORDED_UP_TO_30B,
  '2026-11-30-c',
  '2026-11-30-d',
  '2026-11-30-e',
  '2026-11-30-f',
  '2026-11-30-g',
];

/** Every set recorded before the second baseline (2026-11-30-i). */
const RECORDED_UP_TO_30H = [...RECORDED_UP_TO_30G, '2026-11-30-h'];

export const PATCHES = {
  stepAwaitingApproval: {
    id: 'arazzo-step-awaiting-approval',
    change: 'the ArazzoStep search attribute points at the step awaiting approval',
    recordedBefore: ['2026-11-23-a'],
    retire: 'when fixture set 2026-11-23-a is dropped (no released version ever ran without it)',
  },
  lockReleasedOnClose: {
    id: 'arazzo-lock-released-on-close',
    change: 'the lock child ends with its holder (parent close policy) instead of a release signal',
    recordedBefore: ['2026-11-23-a', '2026-11-23-b', '2026-11-23-c'],
    retire: 'when fixture sets 2026-11-23-a to -c are dropped',
  },
  secretHeldBeforeApproval: {
    id: 'arazzo-secret-held-before-approval',
    change:
      'a destructive step is not offered for approval while a secret output of a completed step is held by nobody; the run waits for it (supplyOutputs) or an abort',
    recordedBefore: ['2026-11-23-a', '2026-11-23-b', '2026-11-23-c', '2026-11-23-d', '2026-11-30-a'],
    retire: 'when every set before 2026-11-30-b is dropped',
  },
  signedApprovals: {
    id: 'arazzo-signed-approvals',
    change:
      "the load activity's approval settings decide the gates: under a policy, decisions are signed, verified and counted to a quorum; without one, the prompt says approvals are not authenticated; webhooks are notified",
    recordedBefore: [...RECORDED_UP_TO_30B, '2026-11-30-d', '2026-11-30-e'],
    retire:
      'when every set before 2026-11-30-c and sets 2026-11-30-d and -e (recorded beside it, without a policy) are dropped',
  },
  lockRefusesCancel: {
    id: 'arazzo-lock-refuses-cancel',
    change:
      'the lock child refuses a cancel request (logged, memo, current details) and answers the `lock` query; it ends only with its holder',
    recordedBefore: [...RECORDED_UP_TO_30B, '2026-11-30-c', '2026-11-30-e'],
    retire:
      'when no lock started before it is open (a lock lives as long as its holder) and every set before 2026-11-30-d is dropped',
  },
  lockLossParks: {
    id: 'arazzo-lock-loss-parks',
    change:
      'a run whose lock ended while it held it (terminated from outside) parks in needs-attention before its next destructive step (retryStep takes the lock again, abort) instead of sending it',
    recordedBefore: [...RECORDED_UP_TO_30B, '2026-11-30-c', '2026-11-30-e'],
    retire: 'when every set before 2026-11-30-d is dropped',
  },
  upsertsOnStateChange: {
    id: 'arazzo-upserts-on-state-change',
    change:
      'search attributes are upserted once per state change (workflow id, state and the step that state concerns, one command, only what changed) instead of once per step started and per attribute',
    recordedBefore: [...RECORDED_UP_TO_30B, '2026-11-30-c', '2026-11-30-d', '2026-11-30-e'],
    retire: 'when every set before 2026-11-30-f is dropped',
  },
  planLoadedLocally: {
    id: 'arazzo-plan-loaded-locally',
    change:
      'an entry run loads its plan as a local activity inside its first workflow task (the result recorded in a marker) instead of an activity task of its own',
    recordedBefore: RECORDED_UP_TO_30G,
    retire: 'when every set before 2026-11-30-h is dropped',
  },
  lockTakenWithFirstStep: {
    id: 'arazzo-lock-taken-with-first-step',
    change:
      "a fresh run whose first step is a plain operation schedules it in the same workflow task as its lock's start, its reference under `underLock`; the activity sends nothing until it has seen the lock run with this run as its parent (LockNotHeld otherwise, or RequestBuildError from a worker that does not know `underLock`: the run waits for the lock and sends the step then)",
    recordedBefore: RECORDED_UP_TO_30H,
    retire: 'when every set before 2026-11-30-i is dropped',
  },
} as const satisfies Record<string, PatchEntry>;

export type PatchName = keyof typeof PATCHES;

export interface PatchBaseline {
  /** The one marker new runs recorded while this baseline was the newest. */
  id: string;
  /** The patches its marker stands for, named one by one (a later patch is not covered by it). */
  covers: readonly PatchName[];
  /** Fixture sets recorded before it: they lack its marker. */
  recordedBefore: readonly string[];
  retire: string;
}

/** What the first baseline (2026-11-30-h) stands for: every patch before it. */
const COVERED_BY_30H: readonly PatchName[] = [
  'stepAwaitingApproval',
  'lockReleasedOnClose',
  'secretHeldBeforeApproval',
  'signedApprovals',
  'lockRefusesCancel',
  'lockLossParks',
  'upsertsOnStateChange',
  'planLoadedLocally',
];

/** Newest first: new runs record the first one's marker; older histories are matched by theirs. */
export const PATCH_BASELINES: readonly PatchBaseline[] = [
  {
    id: 'arazzo-baseline-2026-11-30-i',
    covers: [...COVERED_BY_30H, 'lockTakenWithFirstStep'],
    recordedBefore: RECORDED_UP_TO_30H,
    retire:
      'never while a covered patch is kept: histories with the baseline take every covered path; it goes with the last of them',
  },
  {
    id: 'arazzo-baseline-2026-11-30-h',
    covers: COVERED_BY_30H,
    recordedBefore: RECORDED_UP_TO_30G,
    retire:
      'with the last history recorded under it: when every set from 2026-11-30-h to before 2026-11-30-i is dropped',
  },
];

/**
 * True on the new path: a new run, or a history recorded with a baseline that covers the patch or
 * with the patch's own marker. A new run asks only the newest baseline (it is patched, so the loop ends
 * there); only a history recorded under an older baseline asks for that one.
 */
export function isPatched(name: PatchName): boolean {
  for (const baseline of PATCH_BASELINES) {
    if (baseline.covers.includes(name) && patched(baseline.id)) return true;
  }
  return patched(PATCHES[name].id);
}
