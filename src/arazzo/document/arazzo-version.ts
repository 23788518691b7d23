import type { Finding } from '../model.js';
import { locate, type SourceMap } from './source-map.js';

/**
 * The Arazzo versions this engine runs. Patch releases only clarify, so every patch of a minor
 * version is accepted; the minor version decides which schema validates the document and which
 * fields the engine reads (1.1 adds `$self`, selectors, `querystring`, step `timeout`...).
 */
export type ArazzoMinorVersion = '1.0' | '1.1';

export const SUPPORTED_ARAZZO_VERSIONS: Readonly<Record<ArazzoMinorVersion, RegExp>> = {
  '1.0': /^1\.0\.\d+(-.+)?$/,
  '1.1': /^1\.1\.\d+(-.+)?$/,
};

/** Any version this engine runs (kept for callers that only ask "supported or not"). */
export const SUPPORTED_ARAZZO_VERSION = /^1\.[01]\.\d+(-.+)?$/;

/**
 * The minor version a document declares, when it is one this engine runs. A missing or non-string
 * `arazzo` field is undefined here: the 1.0 schema then says what shape it expects.
 */
export function arazzoMinorVersion(document: unknown): ArazzoMinorVersion | undefined {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return undefined;
  const version = (document as Record<string, unknown>).arazzo;
  if (typeof version !== 'string') return undefined;
  for (const [minor, pattern] of Object.entries(SUPPORTED_ARAZZO_VERSIONS)) {
    if (pattern.test(version)) return minor as ArazzoMinorVersion;
  }
  return undefined;
}

/** Whether `document` names a version string this engine does not run (`2.0.0`, `1.2.0`, `one`). */
export function hasUnsupportedArazzoVersion(document: unknown): boolean {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return false;
  const version = (document as Record<string, unknown>).arazzo;
  return typeof version === 'string' && arazzoMinorVersion(document) === undefined;
}

/**
 * An `arazzo` field naming any other version (2.0.0, 1.2.0) is refused with one clear finding; the
 * document is then not checked against any schema (a 2.0 document judged by the 1.1 schema would be
 * a page of noise). A missing or non-string field is left to the schema check, which says what
 * shape it expects.
 */
export function checkArazzoVersion(document: unknown, sourceMap: SourceMap): Finding[] {
  if (!hasUnsupportedArazzoVersion(document)) return [];
  const version = (document as Record<string, unknown>).arazzo as string;
  return [
    {
      severity: 'error',
      code: 'unsupported-arazzo-version',
      message: `Arazzo version "${version}" is not supported: this engine runs Arazzo 1.0.x and 1.1.x documents`,
      hint: /^1\.\d+\./.test(version)
        ? 'set `arazzo: 1.1.0` if the document only uses 1.1 features'
        : 'this engine implements the Arazzo 1.x specifications; convert the document to Arazzo 1.1',
      ...locate(sourceMap, '/arazzo'),
      pointer: '/arazzo',
    },
  ];
}
