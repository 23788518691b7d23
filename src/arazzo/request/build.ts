// Step parameters + request body → one concrete HTTP request. Pure (URL/URLSearchParams only).
//
// Absent values are omitted, never sent as "undefined": a query/header/cookie parameter resolving to
// `undefined` is dropped; a path parameter resolving to `undefined` is an error naming the parameter
// and its expression, because the URL cannot be built without it.
import {
  type ExpressionContext,
  type ExpressionError,
  type ValueTemplate,
  evaluateTemplate,
  parseValueTemplate,
  unresolvedExpressions,
} from '../expressions/index.js';
import type { ParameterLocation } from '../model.js';
import { type RequestBodyInput, buildBody } from './body.js';
import { RequestBuildError } from './errors.js';
import {
  DEFAULT_STYLE,
  type OperationParameter,
  defaultExplode,
  serializeCookieParameter,
  serializeHeaderParameter,
  serializePathParameter,
  serializeQueryParameter,
  serializeQueryString,
} from './serialize-parameter.js';

export interface RequestParameterInput {
  name: string;
  in?: ParameterLocation;
  /** The raw document value (literal, expression, or string with embedded expressions). */
  value?: unknown;
  /** The same value already parsed with `parseValueTemplate`; used instead of `value` when given. */
  template?: ValueTemplate;
}

export interface BuildRequestInput {
  method: string;
  /** OpenAPI path template, e.g. `/databases/{databaseId}`. */
  pathTemplate: string;
  /** The chosen absolute base URL; may contain a path (`https://api.prisma.io/v1`). */
  serverUrl: string;
  /** Already merged (see `mergeParameters`). */
  parameters: RequestParameterInput[];
  /** OpenAPI parameter objects of the operation, to pick `style`/`explode`/`required`. */
  operationParameters?: OperationParameter[];
  requestBody?: RequestBodyInput;
  /** Strict templates: bare `$inputs.x` inside longer strings stays literal text. */
  strict?: boolean;
}

export interface BuiltRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The structured payload before serialization (what `$request.body` reads). */
  bodyValue?: unknown;
  contentType?: string;
  /** The parameter values as resolved, before serialization (for `$request.path/query/header`). */
  resolved: { path: Record<string, string>; query: Record<string, string>; header: Record<string, string> };
  /** Template warnings (e.g. `unbraced-expression`), `path` prefixed with where they came from. */
  warnings: ExpressionError[];
}

function templateOf(p: RequestParameterInput, strict: boolean, warnings: ExpressionError[]): ValueTemplate {
  if (p.template) return p.template;
  const parsed = parseValueTemplate(p.value, { strict });
  if (!parsed.ok) {
    throw new RequestBuildError(
      'expression-syntax',
      `parameter \`${p.name}\` (${p.in ?? 'no location'}): ${parsed.error.message} at offset ${parsed.error.offset}${parsed.error.hint ? `; ${parsed.error.hint}` : ''}`,
      {
        parameter: { name: p.name, in: p.in },
        expression: typeof p.value === 'string' ? p.value : undefined,
        offset: parsed.error.offset,
      },
    );
  }
  for (const w of parsed.warnings) warnings.push({ ...w, path: `parameters/${p.in}/${p.name}${w.path ?? ''}` });
  return parsed.value;
}

function checkHeaderValue(name: string, value: string): void {
  for (const ch of value) {
    if (ch === '\r' || ch === '\n' || ch === '\0') {
      throw new RequestBuildError('invalid-header-value', `header \`${name}\` would contain a line break or NUL`, {
        parameter: { name, in: 'header' },
      });
    }
  }
}

const displayValue = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** Builds the request, or throws a `RequestBuildError`. */
export function buildRequest(input: BuildRequestInput, context: ExpressionContext): BuiltRequest {
  const strict = input.strict === true;
  const warnings: ExpressionError[] = [];
  const opParams = input.operationParameters ?? [];
  const operationParameter = (name: string, location: ParameterLocation) =>
    opParams.find(
      (o) =>
        o.in === location && (location === 'header' ? o.name.toLowerCase() === name.toLowerCase() : o.name === name),
    );

  const pathValues = new Map<string, { value: unknown; param: RequestParameterInput; template: ValueTemplate }>();
  const query: string[] = [];
  let queryString: string | undefined;
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  const resolved: BuiltRequest['resolved'] = { path: {}, query: {}, header: {} };

  for (const p of input.parameters) {
    if (!p.in) {
      throw new RequestBuildError(
        'missing-parameter-location',
        `parameter \`${p.name}\` has no \`in\`; operation steps need path, query, querystring, header or cookie`,
        {
          parameter: { name: p.name },
        },
      );
    }
    const template = templateOf(p, strict, warnings);
    const value = evaluateTemplate(template, context);
    const op = operationParameter(p.name, p.in);
    const style = op?.style ?? DEFAULT_STYLE[p.in];
    const explode = op?.explode ?? defaultExplode(style);
    if (p.in === 'path') {
      pathValues.set(p.name, { value, param: p, template });
      continue;
    }
    if (value === undefined) continue; // optional and absent: omitted
    switch (p.in) {
      case 'query':
        query.push(...serializeQueryParameter(p.name, value, style, explode, op?.allowReserved === true));
        resolved.query[p.name] = displayValue(value);
        break;
      case 'querystring':
        queryString = serializeQueryString(value, op?.contentType);
        resolved.query[p.name] = displayValue(value);
        break;
      case 'header': {
        const text = serializeHeaderParameter(value, explode);
        checkHeaderValue(p.name, text);
        headers[p.name] = text;
        resolved.header[p.name] = text;
        break;
      }
      case 'cookie':
        for (const pair of serializeCookieParameter(p.name, value, explode)) {
          checkHeaderValue('Cookie', pair);
          cookies.push(pair);
        }
        break;
    }
  }
  if (cookies.length > 0) headers.Cookie = cookies.join('; ');
  if (queryString !== undefined && query.length > 0) {
    throw new RequestBuildError(
      'querystring-with-query',
      'a `querystring` parameter is the whole query string; it cannot be sent with `query` parameters',
    );
  }
  if (queryString !== undefined && queryString !== '') query.push(queryString);

  // Substitute `{name}` in the path template.
  let path = '';
  const t = input.pathTemplate;
  for (let i = 0; i < t.length; ) {
    if (t[i] !== '{') {
      path += t[i];
      i++;
      continue;
    }
    const close = t.indexOf('}', i + 1);
    if (close < 0) throw new RequestBuildError('invalid-server-url', `path template \`${t}\` has an unclosed \`{\``);
    const name = t.slice(i + 1, close);
    const entry = pathValues.get(name);
    if (!entry) {
      throw new RequestBuildError(
        'missing-path-parameter',
        `path parameter \`${name}\` of \`${t}\` has no value: no step parameter \`${name}\` with \`in: path\``,
        {
          parameter: { name, in: 'path' },
        },
      );
    }
    if (entry.value === undefined) {
      const unresolved = unresolvedExpressions(entry.template, context);
      const expression = typeof entry.param.value === 'string' ? entry.param.value : unresolved[0];
      throw new RequestBuildError(
        'missing-path-parameter',
        `required path parameter \`${name}\` resolved to nothing${expression ? `: \`${expression}\`` : ''}${unresolved.length > 0 ? ` (${unresolved.map((u) => `\`${u}\``).join(', ')} has no value)` : ''}`,
        { parameter: { name, in: 'path' }, expression },
      );
    }
    const op = operationParameter(name, 'path');
    const style = op?.style ?? 'simple';
    path += serializePathParameter(name, entry.value, style, op?.explode ?? false);
    resolved.path[name] = displayValue(entry.value);
    i = close + 1;
  }

  let base: URL;
  try {
    base = new URL(input.serverUrl);
  } catch {
    throw new RequestBuildError('invalid-server-url', `server URL \`${input.serverUrl}\` is not an absolute URL`);
  }
  const prefix = base.href.endsWith('/') ? base.href.slice(0, -1) : base.href;
  let url = prefix + (path.startsWith('/') || path === '' ? path : '/' + path);
  if (query.length > 0) url += (url.includes('?') ? '&' : '?') + query.join('&');

  const built: BuiltRequest = { method: input.method.toUpperCase(), url, headers, resolved, warnings };
  if (input.requestBody) {
    const body = buildBody(input.requestBody, context, { strict, warnings });
    if (body) {
      built.body = body.body;
      built.bodyValue = body.bodyValue;
      built.contentType = body.contentType;
      const explicit = Object.keys(headers).find((h) => h.toLowerCase() === 'content-type');
      if (explicit) built.contentType = headers[explicit];
      else headers['Content-Type'] = body.contentType;
    }
  }
  return built;
}
