// The seeds, unchanged, against our descriptions of the real APIs (arazzo/openapi/, through the seeds' own
// `../openapi/` references): pre-flight reports the mismatches of FACTS.md that are visible before the first
// request, and nothing else. Rows are [severity, code, line:column, pointer, stepId, message, hint].
import { describe, expect, it } from 'vitest';
import { preflight, preflightSummary } from '../../../src/arazzo/preflight/index.js';
import { loadRepoDocument, rows } from './helpers.js';

async function check(path: string) {
  const set = await loadRepoDocument(path);
  expect(set.findings).toEqual([]);
  const findings = preflight(set);
  return { findings, rows: rows(findings).map((row, index) => [...row, findings[index].hint]) };
}

describe('seed: Prisma Postgres connection-string rotation', () => {
  it('reports 201 vs 200, the data envelope, the enum, the body, the optional name, the list position and the leak', async () => {
    const { findings, rows } = await check('arazzo/seeds/prisma-postgres-rotate-connection-string.arazzo.yaml');
    expect(rows).toEqual([
      [
        'error',
        'preflight-enum-mismatch',
        '47:24',
        '/workflows/0/steps/0/successCriteria/1/condition',
        'confirmDatabase',
        '`active` is not one of failure, provisioning, ready, recovering (`#/data/status` in the 200 response of getDatabase, the closest match for `$.status`)',
        'compare with one of failure, provisioning, ready, recovering (strings compare case-insensitively)',
      ],
      [
        'warning',
        'preflight-undeclared-response-pointer',
        '47:24',
        '/workflows/0/steps/0/successCriteria/1/condition',
        'confirmDatabase',
        '`$.status` selects `#/status`, which is not declared in the 200 response of getDatabase (its schema allows undeclared properties); did you mean `$.data.status`?',
        'query $.data.status',
      ],
      [
        'warning',
        'preflight-undeclared-response-pointer',
        '50:19',
        '/workflows/0/steps/0/outputs/status',
        'confirmDatabase',
        'output `status`: `#/status` is not declared in the 200 response of getDatabase (its schema allows undeclared properties); did you mean `#/data/status`?',
        'read $response.body#/data/status',
      ],
      [
        'warning',
        'preflight-create-without-cleanup',
        '66:9',
        '/workflows/0/steps/2',
        'createConnection',
        'if `revokeOldConnection` fails, the connection created by `createConnection` is left behind',
        'declare `x-compensation` on `createConnection` (an idempotent delete of what it created) or an onFailure goto to a cleanup step',
      ],
      [
        'warning',
        'preflight-required-from-optional-input',
        '80:19',
        '/workflows/0/steps/2/requestBody/payload/name',
        'createConnection',
        '`name` is required by createConnection but fed by optional input `connectionName`',
        'make connectionName required in the workflow inputs, or give it a default',
      ],
      [
        'warning',
        'preflight-undeclared-property',
        '81:19',
        '/workflows/0/steps/2/requestBody/payload/type',
        'createConnection',
        '`type` is not a property of the createConnection request body (it declares name)',
        'the API does not define it (at best it is ignored); remove it',
      ],
      [
        'error',
        'preflight-undeclared-status',
        '83:24',
        '/workflows/0/steps/2/successCriteria/0/condition',
        'createConnection',
        'expects 201, but createConnection declares 200 for success',
        'the operation answers 200 on success: write $statusCode == 200 (or correct the OpenAPI description if the API really answers 201)',
      ],
      [
        'warning',
        'preflight-undeclared-response-pointer',
        '85:28',
        '/workflows/0/steps/2/outputs/newConnectionId',
        'createConnection',
        'output `newConnectionId`: `#/id` is not declared in the 200 response of createConnection (its schema allows undeclared properties); did you mean `#/data/id`?',
        'read $response.body#/data/id',
      ],
      [
        'warning',
        'preflight-undeclared-response-pointer',
        '86:32',
        '/workflows/0/steps/2/outputs/newConnectionString',
        'createConnection',
        'output `newConnectionString`: `#/connectionString` is not declared in the 200 response of createConnection (its schema allows undeclared properties); did you mean `#/data/endpoints/direct/connectionString`?',
        'read $response.body#/data/endpoints/direct/connectionString',
      ],
      [
        'error',
        'preflight-list-position-target',
        '94:20',
        '/workflows/0/steps/3/parameters/0/value',
        'revokeOldConnection',
        '`revokeOldConnection` deletes the item at position 0 of a list (`$steps.listConnections.outputs.oldConnectionId` = `$response.body#/data/0/id`)',
        "a list's order and content are not guaranteed (empty, several items, or the replacement after a rerun): take the id from an input or from the step that created it, and read it back before deleting",
      ],
    ]);
    // revokeOldConnection expects 204, which the Prisma delete does answer: no status finding there.
    expect(findings.filter((f) => f.stepId === 'revokeOldConnection').map((f) => f.code)).toEqual([
      'preflight-list-position-target',
    ]);
    expect(
      findings.every((f) => f.file.endsWith('arazzo/seeds/prisma-postgres-rotate-connection-string.arazzo.yaml')),
    ).toBe(true);
    expect(preflightSummary(findings)).toEqual({ errors: 3, warnings: 7, hints: 0 });
  });
});

describe('seed: Deepgram project-key rotation', () => {
  it('reports 204 vs 200 on the delete, the status-only list check, and the key left behind on failure', async () => {
    const { findings, rows } = await check('arazzo/seeds/deepgram-rotate-project-key.arazzo.yaml');
    expect(rows).toEqual([
      [
        'warning',
        'preflight-create-without-cleanup',
        '44:9',
        '/workflows/0/steps/0',
        'createReplacementKey',
        'if `verifyReplacement` or `deleteOldKey` fails, the project key created by `createReplacementKey` is left behind',
        'declare `x-compensation` on `createReplacementKey` (an idempotent delete of what it created) or an onFailure goto to a cleanup step',
      ],
      [
        'warning',
        'preflight-status-only-verification',
        '76:9',
        '/workflows/0/steps/1/successCriteria',
        'verifyReplacement',
        '`verifyReplacement` checks only the status code of listProjectKeys, which returns a list: it passes whatever the list holds',
        'check the contents (e.g. a jsonpath criterion selecting the expected item), or read the item back by id',
      ],
      [
        'error',
        'preflight-undeclared-status',
        '95:24',
        '/workflows/0/steps/2/successCriteria/0/condition',
        'deleteOldKey',
        'expects 204, but deleteProjectKey declares 200 for success',
        'the operation answers 200 on success: write $statusCode == 200 (or correct the OpenAPI description if the API really answers 204)',
      ],
    ]);
    expect(preflightSummary(findings)).toEqual({ errors: 1, warnings: 2, hints: 0 });
  });
});
