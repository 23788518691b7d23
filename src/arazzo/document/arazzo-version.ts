import type { Finding } from '../model.js';
import { locate, type SourceMap } from './source-map.js';

/** This engine implements Arazzo 1.0.x; patch releases only clarify, so every 1.0 patch is accepted. */
export const SUPPORTED_ARAZZO_VERSION = /^1\.0\.\d+(-.+)?$/;

/**
 * An `arazzo` field naming any other version (1.1.0, 2.0.0) is refused with one clear finding.
 * A missing or non-string field is left to the schema check, which says what shape it expects.
 */
export function checkArazzoVersion(document: unknown, sourceMap: SourceMap): Finding[] {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return [];
  const version = (document as Record<string, unknown>).arazzo;
  if (typeof version !== 'string' || SUPPORTED_ARAZZO_VERSION.test(version)) return [];
  return [
    {
      severity: 'error',
      code: 'unsupported-arazzo-version',
      message: `Arazzo version "${version}" is not supported: this engine runs Arazzo 1.0.x documents`,
      hint: 'set `arazzo: 1.0.1` if the document only uses 1.0 features; 1.1 and later add fields this engine does not implement',
      ...locate(sourceMap, '/arazzo'),
      pointer: '/arazzo',
    },
  ];
}
