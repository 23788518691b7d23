// Pre-flight analysis at the start of every run (src/arazzo/preflight). TEMPORARY: returns nothing
// until the pre-flight module lands in this same session.
import type { DocumentSet } from '../arazzo/document/index.js';
import type { Finding } from '../arazzo/model.js';

export function runPreflight(_set: DocumentSet, _workflowId: string): Finding[] {
  return [];
}
