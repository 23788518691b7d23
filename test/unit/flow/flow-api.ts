// One import point for the flow tests: the module's public API plus the document model types.
export * from '../../../src/arazzo/flow/index.js';
export type { Components, FailureAction, Step, SuccessAction, Workflow } from '../../../src/arazzo/model.js';
