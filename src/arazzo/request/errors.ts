// The one error type request building throws. `code` is stable for programmatic handling.
export type RequestBuildErrorCode =
  | 'missing-path-parameter'
  | 'missing-parameter-location'
  | 'unknown-component'
  | 'invalid-reference'
  | 'expression-syntax'
  | 'invalid-server-url'
  | 'invalid-server-variable'
  | 'invalid-header-value'
  | 'unsupported-body'
  | 'invalid-replacement'
  | 'querystring-with-query'
  | 'invalid-selector';

export class RequestBuildError extends Error {
  readonly code: RequestBuildErrorCode;
  /** The parameter concerned, when there is one. */
  readonly parameter?: { name: string; in?: string };
  /** The expression (as written) that resolved to nothing or failed to parse. */
  readonly expression?: string;
  /** Offset of a syntax error within `expression`. */
  readonly offset?: number;

  constructor(
    code: RequestBuildErrorCode,
    message: string,
    details: { parameter?: { name: string; in?: string }; expression?: string; offset?: number } = {},
  ) {
    super(message);
    this.name = 'RequestBuildError';
    this.code = code;
    if (details.parameter) this.parameter = details.parameter;
    if (details.expression !== undefined) this.expression = details.expression;
    if (details.offset !== undefined) this.offset = details.offset;
  }
}
