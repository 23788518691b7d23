// A trivial workflow with one real activity, proving the harness (server, bundle, worker) works.
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from './fixture-activities.js';

const { fetchStatus } = proxyActivities<typeof activities>({ startToCloseTimeout: '10s' });

export async function fetchStatusWorkflow(url: string): Promise<string> {
  const status = await fetchStatus(url);
  return `status ${status}`;
}
