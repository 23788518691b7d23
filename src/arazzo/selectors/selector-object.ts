// Arazzo 1.1 Selector Object (`context`, `selector`, `type`) and Expression Type Object (`type`,
// `version`): recognising them and naming their defaults. Pure; no evaluation here.

export type SelectorKind = 'jsonpath' | 'xpath' | 'jsonpointer';

/** A selector's expression type with its version made explicit (the text's defaults applied). */
export interface ExpressionType {
  type: SelectorKind;
  version: string;
}

/** The versions the 1.1 text allows, the first being the default ("Expression Type Object"). */
export const EXPRESSION_TYPE_VERSIONS: Readonly<Record<SelectorKind, readonly string[]>> = {
  jsonpath: ['rfc9535', 'draft-goessner-dispatch-jsonpath-00'],
  xpath: ['xpath-31', 'xpath-30', 'xpath-20', 'xpath-10'],
  jsonpointer: ['rfc6901'],
};

export interface SelectorObject {
  context: string;
  selector: string;
  type: SelectorKind | { type: SelectorKind; version: string };
}

/**
 * Whether a value written where 1.1 allows "Any | {expression} | Selector Object" is a Selector
 * Object: an object with a `selector` field (the schema holds the rest of its shape). Only in 1.1
 * documents: in 1.0 every object there is a literal.
 */
export function isSelectorObject(value: unknown): value is SelectorObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && 'selector' in value;
}

/** `jsonpath` → `{jsonpath, rfc9535}`; an object is checked; undefined when it names nothing known. */
export function expressionTypeOf(type: unknown): ExpressionType | undefined {
  if (typeof type === 'string') {
    const versions = EXPRESSION_TYPE_VERSIONS[type as SelectorKind];
    return versions ? { type: type as SelectorKind, version: versions[0] } : undefined;
  }
  if (type === null || typeof type !== 'object') return undefined;
  const { type: kind, version } = type as { type?: unknown; version?: unknown };
  const versions = typeof kind === 'string' ? EXPRESSION_TYPE_VERSIONS[kind as SelectorKind] : undefined;
  if (!versions || typeof version !== 'string' || !versions.includes(version)) return undefined;
  return { type: kind as SelectorKind, version };
}

/** What a replacement's `target` is when `targetSelectorType` is absent: JSON Pointer for JSON, XPath for XML. */
export function defaultTargetType(contentType: string): ExpressionType {
  const media = contentType.split(';')[0].trim().toLowerCase();
  const xml = media === 'application/xml' || media === 'text/xml' || media.endsWith('+xml');
  return xml ? { type: 'xpath', version: 'xpath-31' } : { type: 'jsonpointer', version: 'rfc6901' };
}
