import { $RefParser, type ParserOptions } from '@apidevtools/json-schema-ref-parser';
import { hideDataReferences, restoreDataReferences } from './description-data.js';
import { parseDocumentText } from './parse-document-text.js';

/** OpenAPI versions whose Operation/Path Item objects this engine understands. */
export const SUPPORTED_OPENAPI_VERSION = /^3\.[01]\.\d+(-.+)?$/;

export type ReadText = (url: string) => Promise<string>;

/**
 * Resolves every `$ref` of an OpenAPI description so operations can be read without chasing
 * references. All reads go through the caller's `read` (this module does no I/O of its own), and
 * circular references (recursive schemas) are left as `$ref` so the result stays a serialisable tree.
 * A `$ref` inside data (examples, `x-` extensions, defaults: description-data.ts) is data: it is
 * neither followed nor read, in the description and in every file it references. The input is not
 * modified.
 */
export async function dereferenceOpenApi(description: object, location: string, read: ReadText): Promise<object> {
  const copy = structuredClone(description);
  hideDataReferences(copy);
  const result = (await $RefParser.dereference(location, copy, {
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
  } as ParserOptions)) as object;
  restoreDataReferences(result);
  return result;
}

function firstProblem(findings: ReadonlyArray<{ message: string; line: number }>): string {
  return findings.length > 0 ? ` (line ${findings[0].line}: ${findings[0].message})` : '';
}
