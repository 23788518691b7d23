// OpenAPI Server Objects → one base URL. Variables are substituted from overrides or defaults
// (an override outside a variable's `enum` is an error), and a relative server URL is resolved
// against the URL of the OpenAPI description it came from.
import { RequestBuildError } from './errors.js';

export interface ServerVariable {
  default: string;
  enum?: string[];
  description?: string;
}

export interface ServerObject {
  url: string;
  description?: string;
  variables?: Record<string, ServerVariable>;
}

export interface ServerOverrides {
  /** Use this server (index into `servers`); default 0. */
  index?: number;
  /** Values for server variables, overriding their defaults. */
  variables?: Record<string, string>;
  /** Base for a relative server URL (the OpenAPI description's own URL). */
  baseUrl?: string;
}

function substituteVariables(
  template: string,
  variables: Record<string, ServerVariable>,
  overrides: Record<string, string>,
): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i];
    if (c !== '{') {
      out += c;
      i++;
      continue;
    }
    const close = template.indexOf('}', i + 1);
    if (close < 0)
      throw new RequestBuildError('invalid-server-url', `server URL \`${template}\` has an unclosed \`{\``);
    const name = template.slice(i + 1, close);
    const variable = Object.hasOwn(variables, name) ? variables[name] : undefined;
    const override = Object.hasOwn(overrides, name) ? overrides[name] : undefined;
    if (!variable && override === undefined) {
      throw new RequestBuildError(
        'invalid-server-variable',
        `server URL \`${template}\` uses \`{${name}}\`, which is not declared in \`variables\``,
      );
    }
    const value = override ?? variable!.default;
    if (variable?.enum && variable.enum.length > 0 && !variable.enum.includes(value)) {
      throw new RequestBuildError(
        'invalid-server-variable',
        `server variable \`${name}\` is \`${value}\`; allowed: ${variable.enum.map((v) => `\`${v}\``).join(', ')}`,
      );
    }
    out += value;
    i = close + 1;
  }
  return out;
}

/** The absolute base URL (no trailing slash) for the chosen server. */
export function resolveServerUrl(
  servers: readonly ServerObject[] | undefined,
  overrides: ServerOverrides = {},
): string {
  const list = servers && servers.length > 0 ? servers : [{ url: '/' }]; // OpenAPI's default server is `/`
  const index = overrides.index ?? 0;
  const server = list[index];
  if (!server)
    throw new RequestBuildError('invalid-server-url', `there is no server #${index} (${list.length} declared)`);
  const substituted = substituteVariables(server.url, server.variables ?? {}, overrides.variables ?? {});
  let url: URL;
  try {
    url = overrides.baseUrl !== undefined ? new URL(substituted, overrides.baseUrl) : new URL(substituted);
  } catch {
    throw new RequestBuildError(
      'invalid-server-url',
      overrides.baseUrl !== undefined
        ? `cannot resolve server URL \`${substituted}\` against \`${overrides.baseUrl}\``
        : `server URL \`${substituted}\` is relative; give the description's URL as \`baseUrl\``,
    );
  }
  const text = url.href;
  return text.endsWith('/') ? text.slice(0, -1) : text;
}
