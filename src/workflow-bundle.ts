// What anyone bundling the workflow code passes to the bundler besides `workflowsPath` (worker.ts):
// the modules evaluated once per worker and shared by every workflow execution (`preloadModules`), the
// pure third-party libraries of workflows/shared-libraries.ts. A module of its own, with no imports
// beyond Node's, so that test and bench set-ups can read it without loading the worker.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `.ts` under tsx/vitest, `.js` once compiled. */
export const workflowPreloadModules = [
  fileURLToPath(new URL(`./workflows/shared-libraries${extname(fileURLToPath(import.meta.url))}`, import.meta.url)),
];
