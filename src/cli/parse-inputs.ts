// `--input` values: `name=value`, `@file.json` (an object of inputs) or inline JSON (`{"name": ...}`).
// A `name=value` value is text when the input's schema says string, JSON otherwise (numbers, arrays:
// `scopes=["member"]`); a `{"$secret": "env:NAME"}` reference is always kept as the reference (what counts
// as one: isSecretRef, src/arazzo/secrets/refs.ts).
import { readFileSync } from 'node:fs';
import { UsageError } from './errors.js';
import type { InputSchema } from './workflow-inputs.js';

export function parseInputs(
  values: readonly string[],
  properties: Record<string, InputSchema>,
): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const raw of values) {
    if (raw.startsWith('@')) Object.assign(inputs, objectFrom(readJsonFile(raw.slice(1)), raw));
    else if (raw.trimStart().startsWith('{')) Object.assign(inputs, objectFrom(parseJson(raw, '--input'), '--input'));
    else {
      const eq = raw.indexOf('=');
      if (eq <= 0) throw new UsageError(`--input ${raw}: expected name=value, @file.json or a JSON object`);
      const name = raw.slice(0, eq);
      inputs[name] = inputValue(name, raw.slice(eq + 1), properties[name]);
    }
  }
  return inputs;
}

function inputValue(name: string, text: string, schema: InputSchema | undefined): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return parseJson(trimmed, `--input ${name}`);
  const types = schema ? [schema.type].flat() : [];
  if (types.includes('string') || (types.length === 0 && !/^[[\d-]|^(true|false|null)$/.test(trimmed))) return text;
  try {
    return JSON.parse(trimmed);
  } catch {
    if (types.length === 0) return text;
    throw new UsageError(`--input ${name}=${text}: not valid JSON for a ${types.join('|')} input`);
  }
}

/**
 * `source=url` pairs for `--server`. An OpenAPI (or Arazzo) source takes a base URL; an AsyncAPI source, named
 * in `asyncSources`, takes what its AsyncAPI server's `host` holds (`localhost:9092`), optionally with the
 * protocol's scheme (`kafka://localhost:9092`), which the run strips.
 */
export function parseServers(
  values: readonly string[],
  asyncSources: ReadonlySet<string> = new Set(),
): Record<string, string> {
  const servers: Record<string, string> = {};
  for (const raw of values) {
    const eq = raw.indexOf('=');
    const name = raw.slice(0, eq);
    const url = raw.slice(eq + 1);
    if (eq > 0 && asyncSources.has(name)) {
      if (!/^([a-z][a-z0-9+.-]*:\/\/)?[^\s/:@]+(:\d+)?\/?$/i.test(url))
        throw new UsageError(
          `--server ${raw}: expected ${name}=host:port for this AsyncAPI source, e.g. localhost:9092`,
        );
    } else if (eq <= 0 || !/^https?:\/\//i.test(url)) {
      throw new UsageError(
        `--server ${raw}: expected sourceName=http(s)://host/base (an AsyncAPI source: sourceName=host:port)`,
      );
    }
    servers[name] = url;
  }
  return servers;
}

/** `output=sink:name` pairs for `--deliver` (e.g. `newConnectionString=file:prisma-new.txt`). */
export function parseDeliveries(values: readonly string[]): Record<string, string> {
  const deliver: Record<string, string> = {};
  for (const raw of values) {
    const eq = raw.indexOf('=');
    const target = raw.slice(eq + 1);
    if (eq <= 0 || !/^[a-z]+:[^:]+$/.test(target)) {
      throw new UsageError(`--deliver ${raw}: expected output=sink:name, e.g. newConnectionString=file:prisma-new.txt`);
    }
    deliver[raw.slice(0, eq)] = target;
  }
  return deliver;
}

function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`--input @${path}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  return parseJson(text, `--input @${path}`);
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${where}: not valid JSON (${(err as Error).message})`);
  }
}

function objectFrom(value: unknown, where: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`${where}: expected a JSON object of inputs`);
  }
  return value as Record<string, unknown>;
}
