// Arazzo 1.0.x and 1.1.x document model, as parsed from YAML/JSON. Field names follow the
// specification (https://spec.openapis.org/arazzo/v1.0.1, v1.1.0; fields marked 1.1 are only valid in
// 1.1 documents, which the version's schema enforces); `x-` extensions are kept as they are.
// These types describe what a *valid* document looks like; the validator is what proves a parsed
// value has this shape, so code that reads an unvalidated value must not trust them.

export type Extensions = { [key: `x-${string}`]: unknown };

export interface ArazzoDocument extends Extensions {
  arazzo: string;
  /** 1.1: the document's own URI (its identity and base URI; no fragment). */
  $self?: string;
  info: Info;
  sourceDescriptions: SourceDescription[];
  workflows: Workflow[];
  components?: Components;
}

export interface Info extends Extensions {
  title: string;
  summary?: string;
  description?: string;
  version: string;
}

export interface SourceDescription extends Extensions {
  name: string;
  url: string;
  /** `asyncapi` is Arazzo 1.1. */
  type?: 'openapi' | 'arazzo' | 'asyncapi';
}

export interface Workflow extends Extensions {
  workflowId: string;
  summary?: string;
  description?: string;
  inputs?: JsonSchema;
  dependsOn?: string[];
  steps: Step[];
  successActions?: Array<SuccessAction | ReusableObject>;
  failureActions?: Array<FailureAction | ReusableObject>;
  outputs?: Record<string, string>;
  parameters?: Array<Parameter | ReusableObject>;
}

/**
 * A step is one of three kinds: it calls an OpenAPI operation (`operationId`/`operationPath`), runs a
 * workflow (`workflowId`), or (Arazzo 1.1) acts on an AsyncAPI channel (`channelPath` or an AsyncAPI
 * `operationId`, with `action`): the plan resolves them to a channel (`PlanStep.message`).
 */
export interface Step extends Extensions {
  stepId: string;
  description?: string;
  operationId?: string;
  operationPath?: string;
  workflowId?: string;
  /** 1.1: an AsyncAPI channel (`{$sourceDescriptions.<name>.url}#/channels/...`). */
  channelPath?: string;
  /** 1.1: what a channel step does. */
  action?: 'send' | 'receive';
  /** 1.1: correlates a `receive` with its request. */
  correlationId?: unknown;
  /** 1.1: milliseconds before the step fails (onFailure then applies). */
  timeout?: number;
  /** 1.1: steps that must complete first (`stepId`, `$workflows.<id>.steps.<stepId>`, ...). */
  dependsOn?: string[];
  parameters?: Array<Parameter | ReusableObject>;
  requestBody?: RequestBody;
  successCriteria?: Criterion[];
  onSuccess?: Array<SuccessAction | ReusableObject>;
  onFailure?: Array<FailureAction | ReusableObject>;
  outputs?: Record<string, string>;
}

/** `querystring` (the whole query string as one value) is Arazzo 1.1 / OpenAPI 3.2. */
export type ParameterLocation = 'path' | 'query' | 'querystring' | 'header' | 'cookie';

export interface Parameter extends Extensions {
  name: string;
  /** Required for operation steps; absent for parameters of a `workflowId` step (workflow inputs). */
  in?: ParameterLocation;
  /** A literal of any JSON type, a runtime expression, or a string with `{$...}` embedded expressions. */
  value: unknown;
}

export interface SuccessAction extends Extensions {
  name: string;
  type: 'end' | 'goto';
  workflowId?: string;
  stepId?: string;
  /** 1.1: the inputs of the workflow `workflowId` names. */
  parameters?: Array<Parameter | ReusableObject>;
  criteria?: Criterion[];
}

export interface FailureAction extends Extensions {
  name: string;
  type: 'end' | 'goto' | 'retry';
  workflowId?: string;
  stepId?: string;
  /** 1.1: the inputs of the workflow `workflowId` names. */
  parameters?: Array<Parameter | ReusableObject>;
  retryAfter?: number;
  retryLimit?: number;
  criteria?: Criterion[];
}

export interface ReusableObject {
  /** A `$components.<kind>.<name>` runtime expression. */
  reference: string;
  /** Overrides the referenced parameter's value. */
  value?: unknown;
}

export interface Criterion extends Extensions {
  context?: string;
  condition: string;
  type?: CriterionType | CriterionExpressionType;
}

export type CriterionType = 'simple' | 'regex' | 'jsonpath' | 'xpath';

export interface CriterionExpressionType extends Extensions {
  type: 'jsonpath' | 'xpath';
  /** jsonpath: `draft-goessner-dispatch-jsonpath-00`; xpath: `xpath-30` | `xpath-20` | `xpath-10`. */
  version: string;
}

export interface RequestBody extends Extensions {
  contentType?: string;
  payload?: unknown;
  replacements?: PayloadReplacement[];
}

export interface PayloadReplacement extends Extensions {
  /** A JSON Pointer (or an XPath for XML payloads; 1.1: also JSONPath) into the payload. */
  target: string;
  /** 1.1: how `target` is read; absent: JSON Pointer for JSON payloads, XPath for XML ones. */
  targetSelectorType?:
    | 'jsonpath'
    | 'xpath'
    | 'jsonpointer'
    | { type: 'jsonpath' | 'xpath' | 'jsonpointer'; version: string };
  value: unknown;
}

export interface Components extends Extensions {
  inputs?: Record<string, JsonSchema>;
  parameters?: Record<string, Parameter>;
  successActions?: Record<string, SuccessAction>;
  failureActions?: Record<string, FailureAction>;
}

export type JsonSchema = Record<string, unknown> | boolean;

/** Where a value came from in its source text: 1-based line and column. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/**
 * One problem found in a document. Every check in the engine (schema, semantic rules, expression
 * parsing, pre-flight) reports through this one shape so that the CLI, the load activity and the
 * tests can print and compare them uniformly.
 */
export interface Finding {
  severity: 'error' | 'warning' | 'hint';
  /** A stable machine-readable rule id, e.g. `schema`, `duplicate-step-id`, `unbraced-expression`. */
  code: string;
  message: string;
  hint?: string;
  /** The file the finding is located in (the document or one of its source descriptions). */
  file: string;
  line: number;
  column: number;
  /** JSON Pointer (RFC 6901) of the offending value within `file`. */
  pointer: string;
  /** The stepId the finding concerns, when there is one. */
  stepId?: string;
  /** The workflowId the finding concerns, when there is one. */
  workflowId?: string;
}
