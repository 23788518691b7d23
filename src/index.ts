// The package's public surface (package.json "exports"): what a Temporal user needs to run Arazzo
// workflows in their own worker, with their own connection, interceptors and options, and the engine's
// document check. README "Use it in your own worker" shows them together.
//
//   import { createArazzoWorker, createActivities, getDataConverter, workflowsPath } from 'arazzo-temporal';
export { type ArazzoActivities, createActivities } from './activities/index.js';
export { policyFromEnv, type WorkerPolicy } from './activities/config.js';
export { checkDocument as check } from './cli/commands/check.js';
export {
  createDataConverter,
  encryptionEnabled,
  failureConverterPath,
  getDataConverter,
} from './codec/data-converter.js';
export { defaultDocumentRoot, stateRoot } from './project-files.js';
export type { ArazzoRunInput, ArazzoRunResult, RunProgress } from './workflows/types.js';
export {
  approveUpdate,
  progressQuery,
  rejectUpdate,
  WORKFLOW_TYPE,
} from './workflows/contract.js';
export {
  type ArazzoWorkerOptions,
  createArazzoWorker,
  DEFAULT_TASK_QUEUE,
  workflowPreloadModules,
  workflowsPath,
} from './worker.js';
