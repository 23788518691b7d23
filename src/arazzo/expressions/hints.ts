// "Did you mean ...?" suggestions for misspelt keywords: edit distance over short candidate lists.
import { editDistance } from '../text/edit-distance.js';

/** The candidate closest to `word` (case-insensitively), if it is plausibly what was meant. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > 64) return undefined;
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const c = candidate.toLowerCase();
    if (c === lower) return candidate;
    const d = editDistance(lower, c);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const size = best?.length ?? 0;
  const limit = size <= 3 ? 1 : size <= 8 ? 2 : 3;
  if (bestDistance <= limit) return best;
  // A prefix such as `$status` for `$statusCode` is also a good guess.
  return candidates.find((c) => lower.length >= 3 && c.toLowerCase().startsWith(lower));
}
