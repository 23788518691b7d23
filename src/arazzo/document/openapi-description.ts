import { $RefParser, JSONParserErrorGroup, type ParserOptions } from '@apidevtools/json-schema-ref-parser';
import { hideDataReferences, restoreDataReferences } from './description-data.js';
import { toPointer } from './json-pointer.js';
import { parseDocumentText } from './parse-document-text.js';

/** OpenAPI versions whose Operation/Path Item objects this engine understands (3.2: `query`, `additionalOperations`, `in: querystring`). */
export const SUPPORTED_OPENAPI_VERSION = /^3\.[012]\.\d+(-.+)?$/;

export type ReadText = (url: string) => Promise<string>;

export interface DereferencedDescription {
  document: object;
  /**
   * The `$ref`s that could not be resolved (a missing target, an unreadable file), each left in place as
   * `{"$ref": ...}` (which the checks treat as "unknown shape"): one broken reference somewhere in a large
   * description says nothing about the operations a workflow calls, so it does not make the whole
   * description unusable.
   */
  unresolved: Array<{ at: string; message: string }>;
}

/**
 * Resolves every `$ref` of an OpenAPI description so operations can be read without chasing
 * references. All reads go through the caller's `read` (this module does no I/O of its own), and
 * circular references (recursive schemas) are left as `$ref` so the result stays a serialisable tree.
 * A `$ref` inside data (examples, `x-` extensions, defaults: description-data.ts) is data: it is
 * neither followed nor read, in the description and in every file it references. The input is not
 * modified.
 */
export async function dereferenceOpenApi(
  description: object,
  location: string,
  read: ReadText,
): Promise<DereferencedDescription> {
  const copy = structuredClone(description);
  hideDataReferences(copy);
  const unresolved: DereferencedDescription['unresolved'] = [];
  const options = {
    continueOnError: true,
    resolve: {
      file: false,
      http: false,
      injected: {
        order: 1,
        canRead: true,
        read: (file: { url: string }) => read(file.url),
      },
    },
    parse: {
      // Files reached through a `$ref` get the same treatment as the description itself.
      description: {
        order: 1,
        canParse: true,
        parse: (file: { url: string; data: unknown }) => {
          const text = typeof file.data === 'string' ? file.data : String(file.data);
          const parsed = parseDocumentText(text, file.url);
          if (parsed.value === undefined) {
            throw new Error(`${file.url} is not valid YAML or JSON${firstProblem(parsed.findings)}`);
          }
          hideDataReferences(parsed.value);
          return parsed.value;
        },
      },
    },
    dereference: { circular: 'ignore' },
  } as ParserOptions;
  let result: object;
  try {
    result = (await $RefParser.dereference(location, copy, options)) as object;
  } catch (error) {
    if (!(error instanceof JSONParserErrorGroup) || !error.files.schema) throw error;
    result = error.files.schema as object;
    for (const problem of error.errors) {
      const path = Array.isArray(problem.path) ? problem.path.map(String) : [];
      unresolved.push({ at: toPointer(path), message: problem.message });
      leaveReference(result, path, problem.message);
    }
  }
  restoreDataReferences(result);
  return { document: result, unresolved };
}

/** Puts a reference object back where the parser left `null` for a reference it could not resolve. */
function leaveReference(root: object, path: readonly string[], message: string): void {
  if (path.length === 0) return;
  let parent: unknown = root;
  for (const segment of path.slice(0, -1)) {
    if (typeof parent !== 'object' || parent === null) return;
    parent = (parent as Record<string, unknown>)[segment];
  }
  const last = path[path.length - 1];
  if (typeof parent === 'object' && parent !== null && (parent as Record<string, unknown>)[last] === null) {
    (parent as Record<string, unknown>)[last] = { $ref: '#unresolved', 'x-unresolved': message };
  }
}

function firstProblem(findings: ReadonlyArray<{ message: string; line: number }>): string {
  return findings.length > 0 ? ` (line ${findings[0].line}: ${findings[0].message})` : '';
}
