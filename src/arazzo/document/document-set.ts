import type { ArazzoDocument, Finding } from '../model.js';
import { checkArazzoVersion } from './arazzo-version.js';
import { type AsyncApiIndex, type ParseAsyncApi, SUPPORTED_ASYNCAPI_VERSION } from './asyncapi-index.js';
import { toPointer } from './json-pointer.js';
import { dereferenceOpenApi, type ReadText, SUPPORTED_OPENAPI_VERSION } from './openapi-description.js';
import { parseDocumentText } from './parse-document-text.js';
import { baseUriOf, resolveUrl } from './resolve-url.js';
import { locate, type SourceMap } from './source-map.js';

export interface LoadOptions {
  /** Reads a document's text; throws when it cannot (missing file, no network). The only I/O there is. */
  read: ReadText;
  /**
   * Redirects a source URL (as written in the document, or as resolved against it) to another URL or
   * path before reading, e.g. a remote OpenAPI description to a local copy.
   */
  sourceMap?: Record<string, string>;
  /**
   * Parses an AsyncAPI description (Arazzo 1.1 `type: asyncapi` sources) with the official parser; an
   * edge supplies it (src/asyncapi/parse-asyncapi.ts). Without it such a source is a finding.
   */
  parseAsyncApi?: ParseAsyncApi;
}

export interface EntryDocument {
  url: string;
  /** The parsed value; only trustworthy as an `ArazzoDocument` once validation reports no errors. */
  document: ArazzoDocument | undefined;
  sourceMap: SourceMap;
}

export interface LoadedOpenApiSource {
  type: 'openapi';
  /** The URL as resolved against the entry document. */
  url: string;
  /** Where it was actually read from (after `sourceMap` redirection); findings in it name this file. */
  location: string;
  /** The description with every `$ref` resolved (circular ones left as `$ref`). */
  document: Record<string, any>;
  /** Positions in the file as written, before dereferencing (pointers into paths are unchanged by it). */
  sourceMap: SourceMap;
}

/** Arazzo 1.1: an AsyncAPI 3.x description, as the index its parser produced. */
export interface LoadedAsyncApiSource {
  type: 'asyncapi';
  url: string;
  location: string;
  index: AsyncApiIndex;
  sourceMap: SourceMap;
}

export interface LoadedArazzoSource {
  type: 'arazzo';
  url: string;
  location: string;
  document: ArazzoDocument;
  sourceMap: SourceMap;
  /**
   * Its own source descriptions, keyed by its names: its workflows call their operations, so they
   * run as child workflows of ours (build-plan.ts). Loaded like ours, to `MAX_ARAZZO_SOURCE_DEPTH`.
   */
  sources: Record<string, LoadedSource>;
}

/** A 1.1 document's `$self`, resolved against where it was read; undefined without one. */
function selfOf(document: unknown, location: string): string | undefined {
  const self = document !== null && typeof document === 'object' ? (document as { $self?: unknown }).$self : undefined;
  return typeof self === 'string' && self !== '' ? resolveUrl(self, location) : undefined;
}

/** The Arazzo documents that led to a source: where each was read, and its `$self` identity. */
type Chain = Array<{ location: string; identity?: string }>;

/** How deep Arazzo documents may name Arazzo documents (a cycle is refused at once). */
export const MAX_ARAZZO_SOURCE_DEPTH = 8;

export interface UnavailableSource {
  type?: string;
  url: string;
  location: string;
  /** Why the source could not be used; the matching finding is in `DocumentSet.findings`. */
  error: string;
}

export type LoadedSource = LoadedOpenApiSource | LoadedArazzoSource | LoadedAsyncApiSource | UnavailableSource;

export interface DocumentSet {
  entry: EntryDocument;
  /** Keyed by source description name. */
  sources: Record<string, LoadedSource>;
  /** Problems met while loading (unreadable sources, syntax errors, unsupported versions). */
  findings: Finding[];
}

export function isAvailable(
  source: LoadedSource | undefined,
): source is LoadedOpenApiSource | LoadedArazzoSource | LoadedAsyncApiSource {
  return source !== undefined && !('error' in source);
}

/** Why a step's source cannot be the kind of description the step needs (operations or channels). */
export interface SourceMismatch<T extends 'openapi' | 'asyncapi'> {
  ok: false;
  reason: 'unknown-source' | 'source-unavailable' | `source-not-${T}`;
  message: string;
  sourceName: string;
}

const DESCRIPTION_NAMES = {
  openapi: 'an OpenAPI description',
  asyncapi: 'an AsyncAPI description',
  arazzo: 'an Arazzo document',
};

/** The source `name` when it is loaded and of `type`; otherwise why not, in words a finding can use. */
export function sourceOfType<T extends 'openapi' | 'asyncapi'>(
  set: DocumentSet,
  name: string,
  type: T,
): SourceMismatch<T> | (T extends 'openapi' ? LoadedOpenApiSource : LoadedAsyncApiSource) {
  const source = set.sources[name];
  if (!source) {
    return {
      ok: false,
      reason: 'unknown-source',
      message: `no source description is named "${name}"`,
      sourceName: name,
    };
  }
  if (!isAvailable(source)) {
    return {
      ok: false,
      reason: 'source-unavailable',
      message: `source "${name}" could not be loaded`,
      sourceName: name,
    };
  }
  if (source.type !== type) {
    return {
      ok: false,
      reason: `source-not-${type}`,
      message: `source "${name}" is ${DESCRIPTION_NAMES[source.type]}, not ${DESCRIPTION_NAMES[type]}`,
      sourceName: name,
    };
  }
  return source as T extends 'openapi' ? LoadedOpenApiSource : LoadedAsyncApiSource;
}

/**
 * Reads and parses an Arazzo document and every source description it names. Nothing here throws
 * for a bad or missing input: each problem becomes a finding and the rest is still loaded, so one
 * run reports everything.
 */
export async function loadDocumentSet(entryUrl: string, options: LoadOptions): Promise<DocumentSet> {
  const findings: Finding[] = [];
  const entryFallbackMap: SourceMap = { file: entryUrl, values: {}, keys: {} };
  let entryText: string;
  try {
    entryText = await options.read(entryUrl);
  } catch (error) {
    findings.push({
      severity: 'error',
      code: 'document-unreadable',
      message: `cannot read the Arazzo document "${entryUrl}": ${errorMessage(error)}`,
      hint: 'check the path or URL',
      file: entryUrl,
      line: 1,
      column: 1,
      pointer: '',
    });
    return { entry: { url: entryUrl, document: undefined, sourceMap: entryFallbackMap }, sources: {}, findings };
  }

  const parsed = parseDocumentText(entryText, entryUrl);
  findings.push(...parsed.findings);
  const entry: EntryDocument = {
    url: entryUrl,
    document: parsed.value as ArazzoDocument | undefined,
    sourceMap: parsed.sourceMap,
  };
  findings.push(...checkArazzoVersion(parsed.value, parsed.sourceMap));

  const loaded = await loadSources(entry, options, [{ location: entryUrl, identity: selfOf(parsed.value, entryUrl) }]);
  findings.push(...loaded.findings);
  findings.sort(compareFindings);
  return { entry, sources: loaded.sources, findings };
}

/**
 * The set of an Arazzo document of `set.sources` (an `arazzo` source): its own document and its own
 * sources, so its workflows can be checked and planned the way the entry's are.
 */
export function nestedSet(source: LoadedArazzoSource): DocumentSet {
  return {
    entry: { url: source.location, document: source.document, sourceMap: source.sourceMap },
    sources: source.sources,
    findings: [],
  };
}

/**
 * Loads the source descriptions `owner` names, relative to its base URI (its `$self`, else where it
 * was read from). `chain` holds the locations of the Arazzo documents that led here (a cycle stops).
 */
async function loadSources(
  owner: EntryDocument,
  options: LoadOptions,
  chain: Chain,
): Promise<{ sources: Record<string, LoadedSource>; findings: Finding[] }> {
  const findings: Finding[] = [];
  const sources: Record<string, LoadedSource> = {};
  const descriptions = (owner.document as { sourceDescriptions?: unknown } | undefined)?.sourceDescriptions;
  if (Array.isArray(descriptions)) {
    // Read in parallel, but record in document order so `sources` iterates as written.
    const loaded = await Promise.all(
      descriptions.map(async (description, index) => {
        if (!description || typeof description !== 'object') return undefined;
        const { name, url, type } = description as Record<string, unknown>;
        // Malformed entries and duplicate names are reported by validation; the first name wins here.
        if (typeof name !== 'string' || typeof url !== 'string') return undefined;
        const pointer = `/sourceDescriptions/${index}/url`;
        return {
          name,
          ...(await loadSource(url, typeof type === 'string' ? type : undefined, owner, pointer, options, chain)),
        };
      }),
    );
    for (const result of loaded) {
      if (!result) continue;
      findings.push(...result.findings);
      if (!(result.name in sources)) sources[result.name] = result.source;
    }
  }
  return { sources, findings };
}

async function loadSource(
  writtenUrl: string,
  declaredType: string | undefined,
  entry: EntryDocument,
  pointer: string,
  options: LoadOptions,
  chain: Chain,
): Promise<{ source: LoadedSource; findings: Finding[] }> {
  const url = resolveUrl(writtenUrl, baseUriOf(entry.document, entry.url));
  const location = options.sourceMap?.[writtenUrl] ?? options.sourceMap?.[url] ?? url;
  const at = { ...locate(entry.sourceMap, pointer), pointer };
  const unavailable = (
    code: string,
    message: string,
    hint: string,
    severity: Finding['severity'] = 'error',
  ): { source: LoadedSource; findings: Finding[] } => ({
    source: { type: declaredType, url, location, error: message },
    findings: [{ severity, code, message, hint, ...at }],
  });
  let text: string;
  try {
    text = await options.read(location);
  } catch (error) {
    return unavailable(
      'source-unreadable',
      `cannot read source description "${writtenUrl}"` +
        (location !== writtenUrl ? ` (read as "${location}")` : '') +
        `: ${errorMessage(error)}`,
      baseUriOf(entry.document, entry.url) !== entry.url && !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(writtenUrl)
        ? `relative urls resolve against the document's $self (${baseUriOf(entry.document, entry.url)}); map the url to a local copy (--source-map) or make $self relative`
        : 'check the url, or map it to a local copy (sourceMap option / --source-map)',
    );
  }

  const parsed = parseDocumentText(text, location);
  if (parsed.value === undefined) {
    const result = unavailable(
      'source-unparseable',
      `source description "${writtenUrl}" is not valid YAML or JSON`,
      'see the syntax errors reported in that file',
    );
    result.findings.push(...parsed.findings);
    return result;
  }
  const value = parsed.value as Record<string, unknown>;
  const isObjectValue = value !== null && typeof value === 'object';
  const type =
    declaredType ??
    (isObjectValue && 'arazzo' in value ? 'arazzo' : isObjectValue && 'asyncapi' in value ? 'asyncapi' : 'openapi');

  if (type === 'asyncapi') {
    const version = isObjectValue ? value.asyncapi : undefined;
    if (typeof version !== 'string' || !SUPPORTED_ASYNCAPI_VERSION.test(version)) {
      return unavailable(
        'unsupported-asyncapi-version',
        version === undefined
          ? `source description "${writtenUrl}" is not an AsyncAPI description (no "asyncapi" field)`
          : `source description "${writtenUrl}" is AsyncAPI ${String(version)}; only AsyncAPI 3.x is supported`,
        version === undefined
          ? 'point the url at an AsyncAPI 3 description, or correct the source type'
          : 'convert it to AsyncAPI 3.0 (the AsyncAPI converter does it: operations and channels are split in 3.0)',
      );
    }
    if (!options.parseAsyncApi) {
      return unavailable(
        'asyncapi-parser-unavailable',
        `source description "${writtenUrl}" is an AsyncAPI description, and this loader was given no AsyncAPI parser`,
        'load documents through the CLI or the worker, which read AsyncAPI descriptions',
      );
    }
    const result = await options.parseAsyncApi(text, location);
    const findings: Finding[] = result.diagnostics
      .filter((diagnostic) => diagnostic.severity === 'error')
      .map((diagnostic) => {
        const pointer = toPointer(diagnostic.path.map(String));
        const position = locate(parsed.sourceMap, pointer);
        return {
          severity: 'error' as const,
          code: 'asyncapi-invalid',
          message: `AsyncAPI description "${writtenUrl}": ${diagnostic.message} (${diagnostic.code})`,
          hint: `correct ${pointer || 'the description'} in ${location}`,
          file: location,
          line: diagnostic.line ?? position.line,
          column: diagnostic.column ?? position.column,
          pointer,
        };
      });
    if (!result.index) {
      const refused = unavailable(
        'asyncapi-unusable',
        `source description "${writtenUrl}" is not a usable AsyncAPI description (${findings.length} error${findings.length === 1 ? '' : 's'})`,
        'see the errors reported in that file',
      );
      refused.findings.push(...findings);
      return refused;
    }
    return {
      source: { type: 'asyncapi', url, location, index: result.index, sourceMap: parsed.sourceMap },
      findings,
    };
  }

  if (type === 'arazzo') {
    if (chain.some((link) => link.location === location)) {
      return unavailable(
        'source-cycle',
        `source description "${writtenUrl}" is a document that leads back to itself (${[...chain.map((link) => link.location), location].join(' → ')})`,
        'an Arazzo document cannot (even indirectly) name itself as a source',
      );
    }
    if (chain.length > MAX_ARAZZO_SOURCE_DEPTH) {
      return unavailable(
        'source-too-deep',
        `source description "${writtenUrl}" is Arazzo documents ${chain.length + 1} deep (limit ${MAX_ARAZZO_SOURCE_DEPTH})`,
        'name the workflows you need from fewer levels of documents',
      );
    }
    // Identity-based referencing (1.1): an absolute url names a document by its `$self`. A document
    // read for it (say, a local copy mapped with --source-map) whose `$self` says otherwise is another
    // document, not the one referenced.
    const identity = selfOf(value, location);
    if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(url) && identity !== undefined && identity !== url) {
      return unavailable(
        'source-identity-mismatch',
        `source description "${writtenUrl}" names ${url}, but the document read for it (${location}) is ${identity} by its $self`,
        'point the url (or the source map) at the document whose $self is this url',
      );
    }
    if (identity !== undefined && chain.some((link) => link.identity === identity)) {
      return unavailable(
        'source-cycle',
        `source description "${writtenUrl}" is ${identity} by its $self, a document that leads back to itself`,
        'an Arazzo document cannot (even indirectly) name itself as a source',
      );
    }
    const versionFindings = checkArazzoVersion(value, parsed.sourceMap);
    const document = value as unknown as ArazzoDocument;
    const own = await loadSources({ url: location, document, sourceMap: parsed.sourceMap }, options, [
      ...chain,
      { location, identity },
    ]);
    return {
      source: { type, url, location, document, sourceMap: parsed.sourceMap, sources: own.sources },
      findings: [...versionFindings, ...own.findings],
    };
  }

  const version = value && typeof value === 'object' ? value.openapi : undefined;
  if (typeof version !== 'string' || !SUPPORTED_OPENAPI_VERSION.test(version)) {
    return unavailable(
      'unsupported-openapi-version',
      version === undefined
        ? `source description "${writtenUrl}" is not an OpenAPI description (no "openapi" field)`
        : `source description "${writtenUrl}" is OpenAPI ${String(version)}; only 3.0.x, 3.1.x and 3.2.x are supported`,
      version === undefined
        ? 'set `type: arazzo` if it is an Arazzo document'
        : 'convert it to OpenAPI 3.0, 3.1 or 3.2',
    );
  }
  try {
    const { document, unresolved } = await dereferenceOpenApi(value, location, options.read);
    const findings: Finding[] = [];
    if (unresolved.length > 0) {
      // A warning, not an error: the rest of the description is usable, and what a step reads through
      // a broken reference is treated as unknown (never as absent).
      const first = unresolved[0];
      findings.push({
        severity: 'warning',
        code: 'source-unresolved-refs',
        message: `${unresolved.length} $ref${unresolved.length > 1 ? 's' : ''} of source description "${writtenUrl}" cannot be resolved (first, at ${first.at || '/'}: ${first.message}); what steps read through them is not checked`,
        hint: 'correct the $ref targets in that description, or map it to a corrected copy (--source-map)',
        ...at,
      });
    }
    return {
      source: {
        type: 'openapi',
        url,
        location,
        document: document as Record<string, any>,
        sourceMap: parsed.sourceMap,
      },
      findings,
    };
  } catch (error) {
    return unavailable(
      'source-unresolvable',
      `cannot resolve the $refs of source description "${writtenUrl}": ${errorMessage(error)}`,
      'check the $ref targets in that description',
    );
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Orders findings by file, then position, so reports read top to bottom. */
export function compareFindings(a: Finding, b: Finding): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code);
}
