// Arazzo control flow: which step runs next. Pure (no I/O, clock, randomness or Node built-ins) so
// the interpreter workflow can import it inside Temporal's deterministic sandbox.
export { defaultSuccess } from './default-success.js';
export { DEFAULT_STEP_BUDGET, decideNext } from './decide.js';
export { FlowDefinitionError, type FlowDefinitionErrorCode } from './errors.js';
export { escapePointerToken, joinPointer } from '../document/json-pointer.js';
export { recordRetries, retryKey } from './retry-state.js';
export { type ResolveOptions, resolveStepActions } from './resolve.js';
export type {
  ActionOrigin,
  ActionPhase,
  DecideInput,
  Move,
  ResolvedAction,
  RetryDetour,
  StepActions,
  StepOutcome,
} from './types.js';
