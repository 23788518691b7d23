// Levenshtein distance (insertions, deletions, substitutions; case-sensitive), the one measure
// behind every "did you mean ...?" hint: validation findings (validate/did-you-mean.ts) and
// runtime-expression keywords (expressions/hints.ts). Each caller decides its own threshold.

/** The fewest single-character edits that turn `a` into `b` (one row of the table, O(|b|) memory). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}
