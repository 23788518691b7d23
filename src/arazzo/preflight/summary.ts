// Counts for a one-line verdict ("2 errors, 3 warnings") and for the decision to start a run.
import type { Finding } from '../model.js';

export function preflightSummary(findings: readonly Finding[]): { errors: number; warnings: number; hints: number } {
  let errors = 0;
  let warnings = 0;
  let hints = 0;
  for (const finding of findings) {
    if (finding.severity === 'error') errors++;
    else if (finding.severity === 'warning') warnings++;
    else hints++;
  }
  return { errors, warnings, hints };
}
