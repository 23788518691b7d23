// The workflow bundle of the hand-written rotation keeping the product's promises: it and the lock it takes.
export { arazzoLock } from '../../src/workflows/lock.js';
export { handwrittenPromisedRotation } from './promised-workflow.js';
