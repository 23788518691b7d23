// One operation call (a step's or a compensation's) → a concrete request. Kept apart from the response
// judgement (step-execution.ts) because workflow code imports it to preview a destructive request for
// its approver, and the judgement pulls in the criteria libraries (XML, XPath, JSONPath, RE2), which
// would otherwise be loaded into the sandbox for every workflow execution.
import type { ExpressionContext } from '../expressions/index.js';
import type { Parameter, RequestBody } from '../model.js';
import { type BuiltRequest, buildRequest } from '../request/build.js';
import type { PlanOperation } from './types.js';

export interface OperationCall {
  operation: PlanOperation;
  parameters: Parameter[];
  requestBody?: RequestBody;
}

export function buildOperationRequest(
  call: OperationCall,
  context: ExpressionContext,
  options: { serverUrl?: string; strict?: boolean } = {},
): BuiltRequest {
  return buildRequest(
    {
      method: call.operation.method,
      pathTemplate: call.operation.pathTemplate,
      serverUrl: options.serverUrl ?? call.operation.serverUrl,
      parameters: call.parameters,
      operationParameters: call.operation.parameters,
      requestBody: call.requestBody,
      strict: options.strict,
    },
    context,
  );
}
