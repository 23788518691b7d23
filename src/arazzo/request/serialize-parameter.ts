// Parameter serialization by OpenAPI 3.x `style` / `explode` (the "Style Values" and "Style
// Examples" tables). Defaults: path simple/false, query form/true, header simple/false,
// cookie form/true. Values: strings as-is, numbers/booleans as text, `null` as the empty string;
// arrays and objects per style. Percent-encoding follows RFC 3986 (everything but unreserved
// characters), except that the style's own delimiters stay literal.
import type { ParameterLocation } from '../model.js';

export type ParameterStyle = 'simple' | 'label' | 'matrix' | 'form' | 'spaceDelimited' | 'pipeDelimited' | 'deepObject';

export interface OperationParameter {
  name: string;
  in: ParameterLocation;
  required?: boolean;
  style?: ParameterStyle;
  explode?: boolean;
  allowReserved?: boolean;
  schema?: unknown;
  /** OpenAPI 3.2 `in: querystring`: the media type of its `content` (how the whole query string is written). */
  contentType?: string;
}

// Characters a query may carry as they are (RFC 3986 `query`: pchar / "/" / "?"), and `%` for
// escapes the author wrote; anything else (space, quotes, non-ASCII...) is percent-encoded.
const QUERY_SAFE = /[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]/;

/**
 * OpenAPI 3.2 `in: querystring`: the value is the whole query string. Form-encoded (the default) is
 * taken as the author wrote it, `a=1&b=2`, with only what a URL cannot carry percent-encoded (an
 * object value is form-encoded); any other media type (`application/json`) is one value,
 * percent-encoded whole (its `=` and `&` are data).
 */
export function serializeQueryString(value: unknown, contentType = 'application/x-www-form-urlencoded'): string {
  const media = contentType.split(';')[0].trim().toLowerCase();
  if (media === 'application/x-www-form-urlencoded') {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(value)) params.append(k, typeof v === 'string' ? v : JSON.stringify(v));
      return params.toString();
    }
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    let out = '';
    for (const ch of text.startsWith('?') ? text.slice(1) : text) out += QUERY_SAFE.test(ch) ? ch : encodeRfc3986(ch);
    return out;
  }
  return encodeRfc3986(typeof value === 'string' ? value : JSON.stringify(value));
}

export const DEFAULT_STYLE: Record<ParameterLocation, ParameterStyle> = {
  path: 'simple',
  query: 'form',
  // Not used: a querystring parameter has `content`, not a style (serializeQueryString).
  querystring: 'form',
  header: 'simple',
  cookie: 'form',
};

export function defaultExplode(style: ParameterStyle): boolean {
  return style === 'form';
}

/** RFC 3986 percent-encoding of everything except unreserved characters. */
export function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

const RESERVED = new Set([':', '/', '?', '#', '[', ']', '@', '!', '$', '&', "'", '(', ')', '*', '+', ',', ';', '=']);

/** `allowReserved: true`: reserved characters pass through, everything else is encoded. */
function encodeAllowReserved(text: string): string {
  let out = '';
  for (const ch of text) out += RESERVED.has(ch) ? ch : encodeRfc3986(ch);
  return out;
}

function primitive(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

type Shape =
  | { kind: 'primitive'; value: string }
  | { kind: 'array'; items: string[] }
  | { kind: 'object'; entries: Array<[string, string]> };

function shapeOf(value: unknown): Shape {
  if (Array.isArray(value)) return { kind: 'array', items: value.filter((v) => v !== undefined).map(primitive) };
  if (value !== null && typeof value === 'object') {
    return {
      kind: 'object',
      entries: Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, primitive(v)]),
    };
  }
  return { kind: 'primitive', value: primitive(value) };
}

/** The text replacing `{name}` in a path template (already percent-encoded). */
export function serializePathParameter(
  name: string,
  value: unknown,
  style: ParameterStyle = 'simple',
  explode = false,
): string {
  const enc = encodeRfc3986;
  const s = shapeOf(value);
  switch (style) {
    case 'label': {
      if (s.kind === 'primitive') return '.' + enc(s.value);
      if (s.kind === 'array') return '.' + s.items.map(enc).join(explode ? '.' : ',');
      return (
        '.' +
        (explode
          ? s.entries.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('.')
          : s.entries.flatMap(([k, v]) => [enc(k), enc(v)]).join(','))
      );
    }
    case 'matrix': {
      const n = enc(name);
      if (s.kind === 'primitive') return `;${n}${s.value === '' ? '' : '=' + enc(s.value)}`;
      if (s.kind === 'array')
        return explode ? s.items.map((v) => `;${n}=${enc(v)}`).join('') : `;${n}=${s.items.map(enc).join(',')}`;
      return explode
        ? s.entries.map(([k, v]) => `;${enc(k)}=${enc(v)}`).join('')
        : `;${n}=${s.entries.flatMap(([k, v]) => [enc(k), enc(v)]).join(',')}`;
    }
    default: {
      if (s.kind === 'primitive') return enc(s.value);
      if (s.kind === 'array') return s.items.map(enc).join(',');
      return explode
        ? s.entries.map(([k, v]) => `${enc(k)}=${enc(v)}`).join(',')
        : s.entries.flatMap(([k, v]) => [enc(k), enc(v)]).join(',');
    }
  }
}

/** `name=value` pairs (already encoded) for the query string, joined later with `&`. */
export function serializeQueryParameter(
  name: string,
  value: unknown,
  style: ParameterStyle = 'form',
  explode = defaultExplode(style),
  allowReserved = false,
): string[] {
  const enc = allowReserved ? encodeAllowReserved : encodeRfc3986;
  const n = encodeRfc3986(name);
  const s = shapeOf(value);
  if (style === 'deepObject') {
    if (s.kind === 'object') return s.entries.map(([k, v]) => `${n}%5B${encodeRfc3986(k)}%5D=${enc(v)}`);
    if (s.kind === 'array') return s.items.map((v) => `${n}=${enc(v)}`);
    return [`${n}=${enc(s.value)}`];
  }
  if (s.kind === 'primitive') return [`${n}=${enc(s.value)}`];
  const delimiter = style === 'spaceDelimited' ? '%20' : style === 'pipeDelimited' ? '%7C' : ',';
  if (s.kind === 'array') {
    if (explode) return s.items.map((v) => `${n}=${enc(v)}`);
    return [`${n}=${s.items.map(enc).join(delimiter)}`];
  }
  if (explode) return s.entries.map(([k, v]) => `${encodeRfc3986(k)}=${enc(v)}`);
  return [`${n}=${s.entries.flatMap(([k, v]) => [enc(k), enc(v)]).join(delimiter)}`];
}

/** Header value, `simple` style (the only one OpenAPI allows for headers). Not percent-encoded. */
export function serializeHeaderParameter(value: unknown, explode = false): string {
  const s = shapeOf(value);
  if (s.kind === 'primitive') return s.value;
  if (s.kind === 'array') return s.items.join(',');
  return explode ? s.entries.map(([k, v]) => `${k}=${v}`).join(',') : s.entries.flat().join(',');
}

// RFC 6265 cookie-octet: printable ASCII except space, `"`, `,`, `;` and `\`. Others are percent-encoded.
function encodeCookieValue(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const ok = code > 0x20 && code < 0x7f && ch !== '"' && ch !== ',' && ch !== ';' && ch !== '\\' && ch !== '%';
    out += ok ? ch : encodeRfc3986(ch);
  }
  return out;
}

/** `name=value` cookie pairs (joined later with `; ` into one `Cookie` header), `form` style. */
export function serializeCookieParameter(name: string, value: unknown, explode = true): string[] {
  const s = shapeOf(value);
  if (s.kind === 'primitive') return [`${name}=${encodeCookieValue(s.value)}`];
  if (s.kind === 'array') {
    return explode
      ? s.items.map((v) => `${name}=${encodeCookieValue(v)}`)
      : [`${name}=${s.items.map(encodeCookieValue).join(',')}`];
  }
  return explode
    ? s.entries.map(([k, v]) => `${k}=${encodeCookieValue(v)}`)
    : [`${name}=${s.entries.flatMap(([k, v]) => [encodeCookieValue(k), encodeCookieValue(v)]).join(',')}`];
}
