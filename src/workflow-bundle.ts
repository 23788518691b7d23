// What anyone bundling the workflow code passes to the bundler besides `workflowsPath` (worker.ts):
// the modules evaluated once per worker and shared by every workflow execution (`preloadModules`):
// the pure third-party libraries (workflows/shared-libraries.ts) and our pure core (shared-core.ts).
// A module of its own, with no imports beyond Node's, so that test and bench set-ups can read it
// without loading the worker.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

const extension = extname(fileURLToPath(import.meta.url)); // `.ts` under tsx/vitest, `.js` once compiled

/** The modules shared by every workflow execution: third-party libraries, then our pure core. */
export const workflowPreloadModules = ['shared-libraries', 'shared-core'].map((name) =>
  fileURLToPath(new URL(`./workflows/${name}${extension}`, import.meta.url)),
);
