// Request building: parameters (merge, components, OpenAPI serialization), body, server URL, and
// step/workflow outputs. Pure: importable from workflow code.
export { RequestBuildError, type RequestBuildErrorCode } from './errors.js';
export { buildRequest, type BuildRequestInput, type BuiltRequest, type RequestParameterInput } from './build.js';
export { buildBody, isJsonMediaType, multipartBoundary, type BuiltBody, type RequestBodyInput } from './body.js';
export { isReusableObject, mergeParameters, resolveParameter } from './parameters.js';
export {
  DEFAULT_STYLE,
  defaultExplode,
  encodeRfc3986,
  serializeCookieParameter,
  serializeHeaderParameter,
  serializePathParameter,
  serializeQueryParameter,
  type OperationParameter,
  type ParameterStyle,
} from './serialize-parameter.js';
export { resolveServerUrl, type ServerObject, type ServerOverrides, type ServerVariable } from './servers.js';
export { evaluateOutputs, evaluateOutputsDetailed, type OutputsResult } from './outputs.js';
