// What every scenario shares: an in-memory dev server, a client, the workflow bundles (the project's
// own, the hand-written baseline's), and a way to start fresh worker children on their own task queues.
// Both kinds of worker are the same program with the same options; only the bundle differs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { createDataConverter, failureConverterPath } from '../../src/codec/data-converter.js';
import { type DevServer, startDevServer } from '../../src/devserver/dev-server.js';
import { workflowPreloadModules, workflowsPath } from '../../src/worker.js';
import { startWorkerProcess, type WorkerProcess } from './worker-process.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const resultsDir = join(repoRoot, 'bench/results');

export interface BenchWorker extends WorkerProcess {
  taskQueue: string;
}

/**
 * `interpreter`: src/workflows (arazzoRun + its lock), exactly as `npm run worker` bundles it;
 * `handwritten-promised`: the hand-written rotation keeping the product's promises, and the lock it takes.
 */
export type BundleName = 'interpreter' | 'handwritten-promised' | 'handwritten';

const bundleSources: Record<BundleName, string> = {
  interpreter: workflowsPath,
  'handwritten-promised': fileURLToPath(new URL('../handwritten/promised-workflows.ts', import.meta.url)),
  handwritten: fileURLToPath(new URL('../handwritten/workflows.ts', import.meta.url)),
};

export interface BenchWorkerOptions {
  /** Run the channel runtime in the child (message steps). */
  channels?: boolean;
  /** Extra environment of the child, e.g. ARAZZO_MAX_CACHED_WORKFLOWS. */
  env?: Record<string, string>;
}

export interface BenchEnv {
  server: DevServer;
  client: Client;
  /** Scratch files of this run (bundle, generated documents), under bench/results/. */
  workDir: string;
  startWorker(bundle: BundleName, options?: BenchWorkerOptions): Promise<BenchWorker>;
  close(): Promise<void>;
}

const silent = () => {};

/** The workflow bundles, built once per bench process (each scenario's environment loads the same files). */
let bundling: Promise<Record<BundleName, string>> | undefined;

async function bundleAll(workDir: string): Promise<Record<BundleName, string>> {
  const bundlePaths = {} as Record<BundleName, string>;
  for (const [name, source] of Object.entries(bundleSources) as [BundleName, string][]) {
    const bundle = await bundleWorkflowCode({
      workflowsPath: source,
      failureConverterPath,
      // As `npm run worker` bundles it; the hand-written workflow has no such libraries.
      ...(name === 'interpreter' ? { preloadModules: workflowPreloadModules } : {}),
      logger: { log: silent, trace: silent, debug: silent, info: silent, warn: silent, error: console.error },
    });
    bundlePaths[name] = join(workDir, `workflow-bundle-${name}.js`);
    writeFileSync(bundlePaths[name], bundle.code);
  }
  return bundlePaths;
}

export async function startBenchEnv(options: { cpuProfileDir?: string } = {}): Promise<BenchEnv> {
  const workDir = join(resultsDir, 'work');
  mkdirSync(workDir, { recursive: true });
  const server = await startDevServer({ port: 0, uiPort: false });
  try {
    bundling ??= bundleAll(workDir);
    const bundlePaths = await bundling;
    const connection = await Connection.connect({ address: server.address });
    // Plain payloads, like the worker children (see worker-process.ts): the failure converter only.
    const client = new Client({
      connection,
      namespace: server.namespace,
      dataConverter: createDataConverter(undefined),
    });
    let workers = 0;
    return {
      server,
      client,
      workDir,
      async startWorker(bundle, workerOptions = {}) {
        const taskQueue = `bench-${bundle}-${++workers}-${Date.now()}`;
        const worker = await startWorkerProcess({
          address: server.address,
          namespace: server.namespace,
          taskQueue,
          bundlePath: bundlePaths[bundle],
          documentRoot: repoRoot,
          cpuProfileDir: options.cpuProfileDir,
          channels: workerOptions.channels,
          env: workerOptions.env,
        });
        return { ...worker, taskQueue };
      },
      async close() {
        await connection.close();
        await server.stop();
      },
    };
  } catch (err) {
    await server.stop();
    throw err;
  }
}
