import { $RefParser } from '@apidevtools/json-schema-ref-parser';

/** OpenAPI versions whose Operation/Path Item objects this engine understands (3.2: `query`, `additionalOperations`, `in: querystring`). */
export const SUPPORTED_OPENAPI_VERSION = /^3\.[012]\.\d+(-.+)?$/;

export type ReadText = (url: string) => Promise<string>;

/**
 * Resolves every `$ref` of an OpenAPI description so operations can be read without chasing
 * references. All reads go through the caller's `read` (this module does no I/O of its own), and
 * circular references (recursive schemas) are left as `$ref` so the result stays a serialisable tree.
 * The input is not modified.
 */
export async function dereferenceOpenApi(description: object, location: string, read: ReadText): Promise<object> {
  const copy = structuredClone(description);
  return (await $RefParser.dereference(location, copy, {
    resolve: {
      file: false,
      http: false,
      injected: {
        order: 1,
        canRead: true,
        read: (file: { url: string }) => read(file.url),
      },
    },
    dereference: { circular: 'ignore' },
  })) as object;
}
