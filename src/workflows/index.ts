// Every workflow the worker registers. Workflow code is bundled into Temporal's deterministic sandbox:
// nothing imported from here may do I/O, read the clock or use randomness.
export { arazzoRun } from './interpreter.js';
export { arazzoLock } from './lock.js';
export { arazzoManagedCredential } from './managed.js';
