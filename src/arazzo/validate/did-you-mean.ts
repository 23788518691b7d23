// "did you mean `createConnection`?" hints: the closest known name by edit distance.
import { editDistance } from '../text/edit-distance.js';

/**
 * The candidate closest to `name`, if close enough to be a plausible typo: a case-only difference
 * always qualifies; otherwise at most a third of the name's length may differ (at least 2 edits).
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    // Case differences count as half an edit so `PAR` → `Par` beats any real edit.
    const score =
      candidate.toLowerCase() === name.toLowerCase()
        ? 0.5
        : editDistance(name.toLowerCase(), candidate.toLowerCase()) + 1;
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  const allowed = Math.max(2, Math.floor(name.length / 3)) + 1;
  return bestScore <= allowed ? best : undefined;
}

/** `did you mean "x"?` or `fallback` (or nothing) when no candidate is close. */
export function didYouMean(name: string, candidates: Iterable<string>, fallback?: string): string | undefined {
  const closest = closestName(name, candidates);
  return closest !== undefined ? `did you mean "${closest}"?` : fallback;
}
