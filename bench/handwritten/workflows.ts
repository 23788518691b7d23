// The hand-written baseline's own workflow bundle: only what a Temporal user would bundle.
export { handwrittenRotation } from './workflow.js';
