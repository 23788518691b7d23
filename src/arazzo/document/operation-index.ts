import { type DocumentSet, isAvailable, type LoadedOpenApiSource, sourceOfType } from './document-set.js';
import { getAtPointer, parsePointer, toPointer } from './json-pointer.js';

/** The Path Item's method fields; `query` is OpenAPI 3.2's (the HTTP QUERY method). */
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace', 'query'] as const;
/** A fixed-field method, or (OpenAPI 3.2 `additionalOperations`) any other method as its key is written. */
export type HttpMethod = (typeof HTTP_METHODS)[number] | (string & {});

/** One OpenAPI operation, with everything needed to build a request for it. */
export interface ResolvedOperation {
  sourceName: string;
  method: HttpMethod;
  /** The path template, e.g. `/pets/{petId}`. */
  path: string;
  /** JSON Pointer of the operation in its source (`/paths/~1pets~1{petId}/get`). */
  pointer: string;
  /** The dereferenced Operation Object. */
  operation: Record<string, any>;
  /** Parameters declared on the Path Item, which apply unless the operation redeclares them. */
  pathItemParameters: Array<Record<string, any>>;
  /** The servers that apply: the operation's, else the path item's, else the document's, else `/`. */
  servers: Array<Record<string, any>>;
}

export type OperationReference = { operationId: string } | { operationPath: string };

export type OperationLookup =
  | { ok: true; value: ResolvedOperation }
  | {
      ok: false;
      reason:
        | 'unknown-source'
        | 'source-not-openapi'
        | 'source-unavailable'
        | 'unknown-operation'
        | 'ambiguous-operation'
        | 'invalid-operation-path'
        | 'operation-path-unresolved'
        | 'operation-path-not-operation';
      message: string;
      /** Names that were close to the one asked for (operationIds), best first. */
      candidates?: string[];
      sourceName?: string;
    };

const QUALIFIED_OPERATION_ID = /^\$sourceDescriptions\.([^.]+)\.(.+)$/;
// `{$sourceDescriptions.name.url}#/pointer`; the braces are what the spec writes, but accept bare too.
const OPERATION_PATH = /^\{?\$sourceDescriptions\.([^.}]+)\.url\}?(#.*)?$/;

/** Lists every operation of an OpenAPI source, in document order. */
export function listOperations(sourceName: string, source: LoadedOpenApiSource): ResolvedOperation[] {
  const cached = operationCache.get(source);
  if (cached) return cached;
  const operations: ResolvedOperation[] = [];
  const paths = source.document.paths;
  if (paths && typeof paths === 'object') {
    for (const [path, pathItem] of Object.entries(paths as Record<string, any>)) {
      if (!pathItem || typeof pathItem !== 'object') continue;
      for (const method of HTTP_METHODS) {
        const operation = pathItem[method];
        if (operation && typeof operation === 'object') {
          operations.push(describe(sourceName, source, path, method, pathItem, operation));
        }
      }
      // OpenAPI 3.2: methods without a fixed field, keyed by the method as sent (`LINK`, `COPY`...).
      const additional = pathItem.additionalOperations;
      if (additional && typeof additional === 'object') {
        for (const [method, operation] of Object.entries(additional as Record<string, unknown>)) {
          if (operation && typeof operation === 'object') {
            operations.push(
              describe(sourceName, source, path, method, pathItem, operation as Record<string, any>, true),
            );
          }
        }
      }
    }
  }
  operationCache.set(source, operations);
  return operations;
}
const operationCache = new WeakMap<LoadedOpenApiSource, ResolvedOperation[]>();

function describe(
  sourceName: string,
  source: LoadedOpenApiSource,
  path: string,
  method: HttpMethod,
  pathItem: Record<string, any>,
  operation: Record<string, any>,
  additional = false,
): ResolvedOperation {
  const nonEmpty = (servers: unknown) => (Array.isArray(servers) && servers.length > 0 ? servers : undefined);
  return {
    sourceName,
    method,
    path,
    pointer: toPointer(additional ? ['paths', path, 'additionalOperations', method] : ['paths', path, method]),
    operation,
    pathItemParameters: Array.isArray(pathItem.parameters) ? pathItem.parameters : [],
    servers: nonEmpty(operation.servers) ??
      nonEmpty(pathItem.servers) ??
      nonEmpty(source.document.servers) ?? [{ url: '/' }],
  };
}

function openApiSources(set: DocumentSet): Array<[string, LoadedOpenApiSource]> {
  return Object.entries(set.sources).filter(
    (entry): entry is [string, LoadedOpenApiSource] => isAvailable(entry[1]) && entry[1].type === 'openapi',
  );
}

/**
 * Finds the operation a step calls. An `operationId` must name exactly one operation across the
 * OpenAPI sources, or be qualified as `$sourceDescriptions.<name>.<operationId>`; an `operationPath`
 * is `{$sourceDescriptions.<name>.url}#<JSON Pointer to an operation>`.
 */
export function findOperation(set: DocumentSet, reference: OperationReference): OperationLookup {
  return 'operationId' in reference
    ? findByOperationId(set, reference.operationId)
    : findByOperationPath(set, reference.operationPath);
}

function sourceFor(set: DocumentSet, name: string): OperationLookup | LoadedOpenApiSource {
  return sourceOfType(set, name, 'openapi');
}

function findByOperationId(set: DocumentSet, operationId: string): OperationLookup {
  const qualified = QUALIFIED_OPERATION_ID.exec(operationId);
  const candidates: Array<[string, LoadedOpenApiSource]> = [];
  let wanted = operationId;
  if (qualified) {
    const source = sourceFor(set, qualified[1]);
    if ('ok' in source) return source;
    candidates.push([qualified[1], source]);
    wanted = qualified[2];
  } else {
    candidates.push(...openApiSources(set));
  }
  const matches = candidates.flatMap(([name, source]) =>
    listOperations(name, source).filter((operation) => operation.operation.operationId === wanted),
  );
  if (matches.length === 1) return { ok: true, value: matches[0] };
  if (matches.length > 1) {
    const names = [...new Set(matches.map((match) => match.sourceName))];
    return {
      ok: false,
      reason: 'ambiguous-operation',
      message:
        names.length > 1
          ? `operationId "${wanted}" exists in several sources (${names.join(', ')})`
          : `operationId "${wanted}" is declared by ${matches.length} operations of source "${names[0]}"`,
      candidates: names,
    };
  }
  const unavailable = !qualified && Object.values(set.sources).some((source) => !isAvailable(source));
  return {
    ok: false,
    reason: unavailable ? 'source-unavailable' : 'unknown-operation',
    message: qualified
      ? `source "${qualified[1]}" has no operation with operationId "${wanted}"`
      : `no source description has an operation with operationId "${wanted}"`,
    candidates: candidates.flatMap(([name, source]) =>
      listOperations(name, source)
        .map((operation) => operation.operation.operationId)
        .filter((id): id is string => typeof id === 'string'),
    ),
  };
}

function findByOperationPath(set: DocumentSet, operationPath: string): OperationLookup {
  const match = OPERATION_PATH.exec(operationPath);
  if (!match) {
    return {
      ok: false,
      reason: 'invalid-operation-path',
      message: `operationPath "${operationPath}" is not of the form {$sourceDescriptions.<name>.url}#<JSON Pointer>`,
    };
  }
  const [, sourceName, fragment = ''] = match;
  let segments: string[];
  try {
    segments = parsePointer(fragment);
  } catch {
    return {
      ok: false,
      reason: 'invalid-operation-path',
      message: `operationPath "${operationPath}" has an invalid JSON Pointer "${fragment}"`,
    };
  }
  // Pointing at something other than an operation is wrong whatever the source holds: say so first.
  if (segments.length !== 3 || segments[0] !== 'paths' || !(HTTP_METHODS as readonly string[]).includes(segments[2])) {
    return {
      ok: false,
      reason: 'operation-path-not-operation',
      message: `operationPath "${operationPath}" does not point at an operation (expected #/paths/<escaped path>/<method>)`,
      sourceName,
    };
  }
  const source = sourceFor(set, sourceName);
  if ('ok' in source) return source;
  if (getAtPointer(source.document, segments) === undefined) {
    return {
      ok: false,
      reason: 'operation-path-unresolved',
      message: `operationPath "${operationPath}": source "${sourceName}" has nothing at ${fragment}`,
      sourceName,
      candidates: listOperations(sourceName, source).map((operation) => '#' + operation.pointer),
    };
  }
  const found = listOperations(sourceName, source).find(
    (operation) => operation.path === segments[1] && operation.method === segments[2],
  );
  if (!found) {
    return {
      ok: false,
      reason: 'operation-path-not-operation',
      message: `operationPath "${operationPath}" does not point at an operation`,
      sourceName,
    };
  }
  return { ok: true, value: found };
}
