// Retry counters, the only state the decision needs besides the position. They are kept by the
// interpreter (in workflow state, so they survive replay) and updated with recordRetries.
//
// A counter counts retries of one step by one action within one *failure episode* of that step:
// the episode ends when the step is left by any move other than a retry of it (success, goto,
// end, ...), and its counters are then cleared. So a step reached again later (e.g. by a goto
// loop) gets its full retryLimit again; runaway loops are bounded by the step budget instead.
import type { Move } from './types.js';

/** The counter key of an action on a step. stepIds cannot contain `/` (spec: `[A-Za-z0-9_\-]+`). */
export function retryKey(stepId: string, actionName: string): string {
  return `${stepId}/${actionName}`;
}

/**
 * The counters after `move` was decided for step `stepId`: a retry records its attempt; any other
 * move ends the step's failure episode and drops its counters. Returns a new object.
 */
export function recordRetries(retriesUsed: Record<string, number>, stepId: string, move: Move): Record<string, number> {
  if (move.kind === 'retry') return { ...retriesUsed, [move.retryKey]: move.attempt };
  const prefix = `${stepId}/`;
  const out: Record<string, number> = {};
  for (const [key, used] of Object.entries(retriesUsed)) {
    if (!key.startsWith(prefix)) out[key] = used;
  }
  return out;
}
