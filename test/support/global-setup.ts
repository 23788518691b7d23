// One real Temporal dev server and one workflow bundle for the whole e2e run. Started here (not with
// createLocal) to avoid the SDK's hard 5 s start limit and its offline download; always stopped, even
// when tests fail, because vitest runs the returned teardown in every case.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { failureConverterPath } from '../../src/codec/data-converter.js';
import { formatKeyList, newKey } from '../../src/codec/keys.js';
import { startDevServer } from '../../src/devserver/dev-server.js';
import { workflowPreloadModules } from '../../src/workflow-bundle.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    temporalNamespace: string;
    temporalUiUrl: string;
    workflowBundlePath: string;
    /** The dev server's SQLite file (its `-wal`/`-shm` files sit next to it). */
    temporalDbFile: string;
    /** ARAZZO_CODEC_KEYS for this run: every e2e test encrypts payloads with it. */
    codecKeys: string;
  }
}

export default async function setup(project: TestProject) {
  const work = mkdtempSync(join(tmpdir(), 'arazzo-e2e-'));
  const dbFile = join(work, 'temporal.db');
  const server = await startDevServer({ port: 0, uiPort: 0, dbFile });
  try {
    const bundle = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./test-workflows.ts', import.meta.url)),
      // The project's data converter encodes failure messages: the bundle must use the same converter.
      failureConverterPath,
      // As the worker bundles the workflows: shared libraries evaluated once (src/workflows/shared-libraries.ts).
      preloadModules: workflowPreloadModules,
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
    });
    const bundlePath = join(work, 'workflow-bundle.js');
    writeFileSync(bundlePath, bundle.code);
    project.provide('temporalAddress', server.address);
    project.provide('temporalNamespace', server.namespace);
    project.provide('temporalUiUrl', server.uiUrl ?? '');
    project.provide('workflowBundlePath', bundlePath);
    project.provide('temporalDbFile', dbFile);
    project.provide('codecKeys', formatKeyList([newKey('e2e-a')]));
  } catch (err) {
    await server.stop();
    throw err;
  }
  return async () => {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  };
}
