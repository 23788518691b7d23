// Checks a response as it went over the wire against a vendor's OFFICIAL OpenAPI document: the operation
// exists (method + path template), the status code is declared, the content type is declared, and the body
// validates against the declared schema. Simulators are checked against the vendors' documents, never ours,
// so a simulator cannot drift into agreeing with our own (possibly wrong) description.
import { readFile } from 'node:fs/promises';
import $RefParser from '@apidevtools/json-schema-ref-parser';
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as (ajv: unknown) => void;

export interface ContractConfig {
  /** Human name used in findings. */
  name: string;
  /** Absolute path of the OpenAPI document (YAML or JSON). */
  file: string;
  /**
   * Error statuses the real API sends on every operation although the document does not declare them per
   * operation, and where that is documented. Such responses are "tolerated" (reported, not violations) and
   * their bodies must still match `errorSchemaPointer`.
   */
  undeclaredErrors?: { statuses: number[]; reason: string };
  /** JSON pointer (into the dereferenced document) to the schema every error body must match. */
  errorSchemaPointer?: string;
  /** Repairs of known defects of the document itself; each must say why where it is defined. */
  normalize?: (doc: any) => void;
}

/** The parts of an exchange the contract needs (the simulators' `Exchange` is one). */
export interface CheckedExchange {
  method: string;
  /** Path as requested, including any base path (`/v1/...`). */
  path: string;
  status: number;
  headers: Record<string, string>;
  bodyText: string;
  /** Produced by fault injection: an undeclared status is then tolerated (body must still be an error body). */
  injected?: boolean;
}

export interface CheckResult {
  /** `METHOD /template` of the official operation, with its operationId. */
  operation?: string;
  violations: string[];
  tolerated: string[];
}

interface Operation {
  method: string;
  template: string;
  operationId?: string;
  regex: RegExp;
  specificity: number;
  responses: Record<string, any>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

export class OfficialContract {
  readonly #validators = new Map<object, ValidateFunction>();

  private constructor(
    readonly config: ContractConfig,
    readonly document: any,
    readonly operations: readonly Operation[],
    readonly basePath: string,
    readonly ajv: Ajv,
  ) {}

  static async load(config: ContractConfig): Promise<OfficialContract> {
    const text = await readFile(config.file, 'utf8');
    const raw = config.file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    config.normalize?.(raw);
    const openapi = String(raw.openapi ?? '');
    // OpenAPI 3.0 schemas are a JSON Schema draft-04/07 dialect with `nullable`; 3.1 schemas are 2020-12.
    const is30 = openapi.startsWith('3.0');
    if (is30) convertNullable(raw);
    // Circular documents would make ajv recurse forever over the dereferenced graph: fail loudly instead.
    const doc: any = await $RefParser.dereference(raw, { dereference: { circular: false } });
    const ajv: Ajv = is30
      ? new Ajv({ strict: false, allErrors: true })
      : (new Ajv2020({ strict: false, allErrors: true }) as unknown as Ajv);
    addFormats(ajv);
    // OpenAPI numeric formats that JSON Schema does not define: informative only.
    for (const f of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password']) ajv.addFormat(f, true);
    const serverUrl: string | undefined = doc.servers?.[0]?.url;
    const basePath = serverUrl ? new URL(serverUrl, 'https://placeholder.invalid').pathname.replace(/\/$/, '') : '';
    const operations: Operation[] = [];
    for (const [template, item] of Object.entries<any>(doc.paths ?? {})) {
      for (const method of METHODS) {
        const op = item?.[method];
        if (!op) continue;
        const segments = template.split('/');
        operations.push({
          method: method.toUpperCase(),
          template,
          operationId: op.operationId,
          regex: new RegExp(`^${segments.map((s) => (/^\{[^}]+\}$/.test(s) ? '[^/]+' : escapeRegex(s))).join('/')}$`),
          specificity: segments.filter((s) => !s.startsWith('{')).length,
          responses: op.responses ?? {},
        });
      }
    }
    // A literal segment beats a parameter: `/projects/{id}/keys` before `/projects/{id}/{anything}`.
    operations.sort((a, b) => b.specificity - a.specificity);
    return new OfficialContract(config, doc, operations, basePath, ajv);
  }

  findOperation(method: string, path: string): Operation | undefined {
    if (!path.startsWith(this.basePath)) return undefined;
    const rel = path.slice(this.basePath.length) || '/';
    return this.operations.find((o) => o.method === method.toUpperCase() && o.regex.test(rel));
  }

  check(ex: CheckedExchange): CheckResult {
    const op = this.findOperation(ex.method, ex.path);
    if (!op) return { violations: [`no operation ${ex.method} ${ex.path} in ${this.config.name}`], tolerated: [] };
    const operation = `${op.method} ${op.template}${op.operationId ? ` (${op.operationId})` : ''}`;
    const result: CheckResult = { operation, violations: [], tolerated: [] };
    const status = String(ex.status);
    const declared = op.responses[status] ?? op.responses[`${status[0]}XX`] ?? op.responses.default;
    if (!declared) {
      const why = ex.injected
        ? 'injected by a fault'
        : this.config.undeclaredErrors?.statuses.includes(ex.status)
          ? this.config.undeclaredErrors.reason
          : undefined;
      if (why === undefined) {
        result.violations.push(
          `status ${status} is not declared for ${operation} (declared: ${Object.keys(op.responses).join(', ') || 'none'})`,
        );
        return result;
      }
      result.tolerated.push(`status ${status} undeclared for ${operation}: ${why}`);
      const pointer = this.config.errorSchemaPointer;
      if (pointer) this.#validateBody(resolvePointer(this.document, pointer), ex, 'error body', result);
      return result;
    }
    const content: Record<string, any> | undefined = declared.content;
    if (!content || Object.keys(content).length === 0) {
      if (ex.bodyText.length > 0) result.violations.push(`${status} declares no content, but a body was sent`);
      return result;
    }
    const contentType = (headerValue(ex.headers, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
    const media =
      content[contentType] ??
      Object.entries(content).find(([k]) => k.endsWith('/*') && contentType.startsWith(k.slice(0, -1)))?.[1];
    if (!media) {
      result.violations.push(
        `content type "${contentType}" not declared for ${status} (declared: ${Object.keys(content).join(', ')})`,
      );
      return result;
    }
    if (media.schema) this.#validateBody(media.schema, ex, `${status} body`, result);
    return result;
  }

  #validateBody(schema: unknown, ex: CheckedExchange, what: string, result: CheckResult): void {
    if (schema === undefined || schema === null) return;
    let body: unknown;
    try {
      body = ex.bodyText.length === 0 ? undefined : JSON.parse(ex.bodyText);
    } catch {
      result.violations.push(`${what} is not JSON`);
      return;
    }
    if (body === undefined) {
      result.violations.push(`${what}: empty, a body is declared`);
      return;
    }
    const validate = this.#validator(schema as object);
    if (!validate(body)) {
      // instancePath + message only: never the values, which may be secrets.
      for (const e of validate.errors ?? [])
        result.violations.push(
          `${what} ${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`,
        );
    }
  }

  #validator(schema: object): ValidateFunction {
    let v = this.#validators.get(schema);
    if (!v) {
      v = this.ajv.compile(schema);
      this.#validators.set(schema, v);
    }
    return v;
  }
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function resolvePointer(doc: any, pointer: string): unknown {
  let cur = doc;
  for (const token of pointer.replace(/^#?\//, '').split('/')) {
    cur = cur?.[token.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  if (cur === undefined) throw new Error(`pointer ${pointer} resolves to nothing`);
  return cur;
}

/** OpenAPI 3.0 `nullable: true` becomes a JSON Schema type union (ajv's draft-07 mode does not know `nullable`). */
function convertNullable(node: unknown): void {
  if (Array.isArray(node)) {
    for (const n of node) convertNullable(n);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const obj = node as Record<string, any>;
  if (obj.nullable === true) {
    if (typeof obj.type === 'string') obj.type = [obj.type, 'null'];
    else if (obj.enum) obj.enum = [...obj.enum, null];
    delete obj.nullable;
  }
  for (const v of Object.values(obj)) convertNullable(v);
}

/** Cached loads: each document is parsed and dereferenced once per process. */
const cache = new Map<string, Promise<OfficialContract>>();

export function loadContract(config: ContractConfig): Promise<OfficialContract> {
  let p = cache.get(config.file);
  if (!p) {
    p = OfficialContract.load(config);
    cache.set(config.file, p);
  }
  return p;
}
