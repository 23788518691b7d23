// Pre-flight analysis (src/arazzo/preflight) at the start of every run, before the first request.
import type { DocumentSet } from '../arazzo/document/index.js';
import type { Finding } from '../arazzo/model.js';
import { preflight } from '../arazzo/preflight/index.js';

export function runPreflight(set: DocumentSet, workflowId: string, ignore: readonly string[] = []): Finding[] {
  return preflight(set, { workflowId, ignore });
}
