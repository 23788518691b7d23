// The one error this module throws. It is thrown only while *resolving* a document's actions (a
// definition problem: the document is wrong, retrying cannot help); `decideNext` never throws and
// reports run-time problems as a `fail` move instead, because an exception escaping workflow code
// would fail the Temporal workflow task and be retried forever.

export type FlowDefinitionErrorCode =
  | 'unknown-component-reference'
  | 'invalid-component-reference'
  | 'invalid-action-type'
  | 'missing-action-target'
  | 'ambiguous-action-target'
  | 'unknown-step-target'
  | 'duplicate-action-name'
  | 'step-not-in-workflow';

export class FlowDefinitionError extends Error {
  override readonly name = 'FlowDefinitionError';
  /** A stable machine-readable id, suitable for a non-retryable Temporal ApplicationFailure type. */
  readonly code: FlowDefinitionErrorCode;
  /** JSON Pointer (RFC 6901) of the offending value in the document. */
  readonly pointer: string;

  constructor(code: FlowDefinitionErrorCode, pointer: string, message: string) {
    super(`${message} (at ${pointer || '/'})`);
    this.code = code;
    this.pointer = pointer;
  }
}
