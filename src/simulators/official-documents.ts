// The two vendors' official OpenAPI documents (vendored byte-identical under ./official/ from
// /work/shared/reference/providers/) and the few repairs their published text needs before a validator can
// use it. Each repair fixes a defect of the document, never a disagreement with the simulator.
import { fileURLToPath } from 'node:url';
import type { ContractConfig } from './official-contract.js';

const official = (name: string) => fileURLToPath(new URL(`./official/${name}`, import.meta.url));

/** Full id alternative of the excerpt, as published on the listing's `id` and in the per-tag split. */
const PRISMA_ID_ALTERNATIVE = '([cC][^\\s-]{8,}|[a-z0-9]+)';

/**
 * The Prisma document is a condensed excerpt of the official one; three condensations are undone here:
 * - patterns written `^(con_)(...)$`: `(...)` is an elision, and as a regex it would demand exactly three
 *   characters; the full alternative is restored;
 * - `POST /v1/connections/{id}/rotate` 200 has a description only ("same shape as create"): the create 200
 *   content is used;
 * - `GET /v1/connections/{id}` has a comment only (`200 {data:{...no secrets...}}; 401; 404`): its 200 is the
 *   listing's item under `data`, with the excerpt's Error for 401 and 404.
 */
export function normalizePrismaExcerpt(doc: any): void {
  const walk = (node: any): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) walk(n);
      return;
    }
    if (typeof node.pattern === 'string' && node.pattern.includes('(...)'))
      node.pattern = node.pattern.replace('(...)', PRISMA_ID_ALTERNATIVE);
    for (const v of Object.values(node)) walk(v);
  };
  walk(doc);
  const paths = doc.paths;
  const create = paths['/v1/databases/{databaseId}/connections'].post.responses['200'];
  const rotate = paths['/v1/connections/{id}/rotate'].post.responses['200'];
  if (!rotate.content) rotate.content = structuredClone(create.content);
  const listItem =
    paths['/v1/databases/{databaseId}/connections'].get.responses['200'].content['application/json'].schema.properties
      .data.items;
  const byId = paths['/v1/connections/{id}'].get;
  if (!byId.responses) {
    byId.responses = {
      '200': {
        description: 'Returned the connection (no secrets).',
        content: {
          'application/json': {
            schema: { type: 'object', required: ['data'], properties: { data: structuredClone(listItem) } },
          },
        },
      },
      '401': { $ref: '#/components/responses/Error' },
      '404': { $ref: '#/components/responses/Error' },
    };
  }
}

/**
 * Deepgram's `ErrorResponse` is `oneOf` [string, Legacy object, Modern object]; neither object alternative has
 * `required` or `additionalProperties: false`, so every object matches both and `oneOf` rejects every object
 * error. Read as the evident intent, `anyOf`.
 */
export function normalizeDeepgram(doc: any): void {
  const err = doc.components.schemas.ErrorResponse;
  if (err.oneOf) {
    err.anyOf = err.oneOf;
    delete err.oneOf;
  }
}

export const OFFICIAL_PRISMA: ContractConfig = {
  name: 'official Prisma Postgres Management API (excerpt)',
  file: official('prisma-management-api-excerpt.yml'),
  undeclaredErrors: {
    statuses: [401, 403, 404, 409, 422, 429],
    reason:
      'components.responses.Error is "used by every 4xx in the official document (401/403/404/409/422/429)"; the excerpt lists only some per operation',
  },
  errorSchemaPointer: '/components/responses/Error/content/application~1json/schema',
  normalize: normalizePrismaExcerpt,
};

export const OFFICIAL_DEEPGRAM: ContractConfig = {
  name: 'official Deepgram API',
  file: official('deepgram-official-openapi.yml'),
  undeclaredErrors: {
    statuses: [401, 403, 404, 429],
    reason:
      'the official document declares only 200 and 400 on management operations; the API also answers 401/403/404/429 with the same ErrorResponse formats',
  },
  errorSchemaPointer: '/components/schemas/ErrorResponse',
  normalize: normalizeDeepgram,
};
