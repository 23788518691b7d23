// For given inputs, the engine builds exactly the request each seed step sends (method, URL, headers,
// body), resolved through our descriptions of the real APIs in arazzo/openapi/ — the seeds unchanged,
// read in the default lenient dialect (`Bearer $inputs.apiToken` is substituted).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadDocumentSet } from '../../../src/arazzo/document/index.js';
import { buildPlan } from '../../../src/arazzo/plan/build-plan.js';
import { buildOperationRequest } from '../../../src/arazzo/plan/operation-request.js';
import type { Plan } from '../../../src/arazzo/plan/types.js';

const arazzoDir = fileURLToPath(new URL('../../../arazzo/', import.meta.url));

async function planOf(document: string): Promise<Plan> {
  const set = await loadDocumentSet(`${arazzoDir}${document}`, { read: (path) => readFile(path, 'utf8') });
  return buildPlan(set);
}

function requests(plan: Plan, inputs: Record<string, unknown>, steps: Record<string, Record<string, unknown>>) {
  const context = {
    inputs,
    steps: Object.fromEntries(Object.entries(steps).map(([id, outputs]) => [id, { outputs }])),
  };
  return plan.workflows[plan.workflowId].steps.map((step) => {
    const built = buildOperationRequest(
      { operation: step.operation!, parameters: step.parameters, requestBody: step.requestBody },
      context,
    );
    return { stepId: step.stepId, method: built.method, url: built.url, headers: built.headers, body: built.body };
  });
}

describe('requests the seeds send, for given inputs', () => {
  it('Prisma seed: four requests to api.prisma.io; the optional name is omitted, never sent as "undefined"', async () => {
    const plan = await planOf('seeds/prisma-postgres-rotate-connection-string.arazzo.yaml');
    const auth = { Authorization: 'Bearer tok_123' };
    expect(
      requests(plan, { apiToken: 'tok_123', databaseId: 'db_1' }, { listConnections: { oldConnectionId: 'con_old' } }),
    ).toEqual([
      {
        stepId: 'confirmDatabase',
        method: 'GET',
        url: 'https://api.prisma.io/v1/databases/db_1',
        headers: auth,
        body: undefined,
      },
      {
        stepId: 'listConnections',
        method: 'GET',
        url: 'https://api.prisma.io/v1/databases/db_1/connections',
        headers: auth,
        body: undefined,
      },
      {
        stepId: 'createConnection',
        method: 'POST',
        url: 'https://api.prisma.io/v1/databases/db_1/connections',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: '{"type":"prisma"}',
      },
      {
        stepId: 'revokeOldConnection',
        method: 'DELETE',
        url: 'https://api.prisma.io/v1/connections/con_old',
        headers: auth,
        body: undefined,
      },
    ]);
    const named = requests(
      plan,
      { apiToken: 't', databaseId: 'db_1', connectionName: 'next' },
      { listConnections: { oldConnectionId: 'con_old' } },
    );
    expect(named[2].body).toBe('{"name":"next","type":"prisma"}');
    // A required path parameter with nothing to fill it stops the request from being built at all.
    expect(() => requests(plan, { apiToken: 't', databaseId: 'db_1' }, {})).toThrow(
      'required path parameter `connectionId` resolved to nothing: `$steps.listConnections.outputs.oldConnectionId`',
    );
  });

  it('Deepgram seed: three requests to api.deepgram.com with a Token header; scopes stay an array', async () => {
    const plan = await planOf('seeds/deepgram-rotate-project-key.arazzo.yaml');
    const auth = { Authorization: 'Token dg_key' };
    expect(
      requests(
        plan,
        { apiKey: 'dg_key', projectId: 'p 1', oldKeyId: 'k/old', comment: 'rotated', scopes: ['usage:write'] },
        {},
      ),
    ).toEqual([
      {
        stepId: 'createReplacementKey',
        method: 'POST',
        url: 'https://api.deepgram.com/v1/projects/p%201/keys',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: '{"comment":"rotated","scopes":["usage:write"]}',
      },
      {
        stepId: 'verifyReplacement',
        method: 'GET',
        url: 'https://api.deepgram.com/v1/projects/p%201/keys',
        headers: auth,
        body: undefined,
      },
      {
        stepId: 'deleteOldKey',
        method: 'DELETE',
        url: 'https://api.deepgram.com/v1/projects/p%201/keys/k%2Fold',
        headers: auth,
        body: undefined,
      },
    ]);
  });
});
