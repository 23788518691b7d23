// Starts the real worker entry point (worker-process.ts) as a process of its own, the way an operator
// would, for tests that kill it or that must not be stalled by it.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TemporalTestEnv } from './temporal.js';

const workerScript = fileURLToPath(new URL('./worker-process.ts', import.meta.url));

/** Resolves once the worker says it is ready (fails after a minute, with its output). */
export async function spawnWorkerProcess(
  env: TemporalTestEnv,
  taskQueue: string,
  extraEnv: Record<string, string> = {},
): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', workerScript], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_NAMESPACE: env.namespace,
      ARAZZO_TASK_QUEUE: taskQueue,
      ARAZZO_WORKFLOW_BUNDLE: env.workflowBundlePath,
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  if (process.env.ARAZZO_TEST_WORKER_OUTPUT) {
    child.stdout?.on('data', (d) => process.stderr.write(d));
    child.stderr?.on('data', (d) => process.stderr.write(d));
  }
  const deadline = Date.now() + 60_000;
  while (!output.includes('worker ready')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      if (child.exitCode === null) child.kill('SIGKILL');
      throw new Error(`worker did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return child;
}
