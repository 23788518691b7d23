// Loading Arazzo documents and their source descriptions. Pure: every read goes through the
// caller-supplied `read` function.
export {
  type ArazzoMinorVersion,
  arazzoMinorVersion,
  checkArazzoVersion,
  hasUnsupportedArazzoVersion,
  SUPPORTED_ARAZZO_VERSION,
  SUPPORTED_ARAZZO_VERSIONS,
} from './arazzo-version.js';
export {
  compareFindings,
  type DocumentSet,
  type EntryDocument,
  isAvailable,
  type LoadedArazzoSource,
  type LoadedAsyncApiSource,
  MAX_ARAZZO_SOURCE_DEPTH,
  nestedSet,
  type LoadedOpenApiSource,
  type LoadedSource,
  type LoadOptions,
  loadDocumentSet,
  type UnavailableSource,
} from './document-set.js';
export {
  escapePointerToken,
  getAtPointer,
  joinPointer,
  parsePointer,
  toPointer,
  unescapePointerToken,
} from './json-pointer.js';
export { dereferenceOpenApi, type ReadText, SUPPORTED_OPENAPI_VERSION } from './openapi-description.js';
export {
  findOperation,
  HTTP_METHODS,
  type HttpMethod,
  listOperations,
  type OperationLookup,
  type OperationReference,
  type ResolvedOperation,
} from './operation-index.js';
export { type ParsedText, parseDocumentText } from './parse-document-text.js';
export { baseUriOf, resolveUrl } from './resolve-url.js';
export { emptySourceMap, locate, type Position, type SourceMap } from './source-map.js';
export {
  type AsyncApiChannel,
  type AsyncApiIndex,
  type AsyncApiMessage,
  type AsyncApiOperation,
  type AsyncApiServer,
  type ParseAsyncApi,
  SUPPORTED_ASYNCAPI_VERSION,
} from './asyncapi-index.js';
export {
  type ChannelAction,
  type ChannelLookup,
  type ChannelReference,
  channelReferenceOf,
  findChannel,
  isChannelStep,
  type ResolvedChannelStep,
} from './channel-index.js';
