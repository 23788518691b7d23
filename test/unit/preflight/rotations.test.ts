// The corrected rotations (arazzo/rotations/) pass pre-flight with no finding at all, and copies of them
// with one mistake each (made here, by editing the text or the parsed YAML) are caught by the right rule,
// at the right place, and by nothing else.
import { describe, expect, it } from 'vitest';
import { type Document, parseDocument } from 'yaml';
import { preflight } from '../../../src/arazzo/preflight/index.js';
import { validateDocumentSet } from '../../../src/arazzo/validate/index.js';
import { loadRepoDocument, replaceOnce } from './helpers.js';

const PRISMA = 'arazzo/rotations/prisma-rotate-connection.arazzo.yaml';
const DEEPGRAM = 'arazzo/rotations/deepgram-rotate-key.arazzo.yaml';

const yamlEdit = (edit: (doc: Document) => void) => (text: string) => {
  const doc = parseDocument(text);
  edit(doc);
  return doc.toString();
};

describe('corrected rotations', () => {
  it.each([PRISMA, DEEPGRAM])('%s: valid, and zero pre-flight findings', async (path) => {
    const set = await loadRepoDocument(path);
    expect(validateDocumentSet(set, { strict: true })).toEqual([]);
    expect(preflight(set)).toEqual([]);
  });
});

interface Mutation {
  name: string;
  path: string;
  edit: (text: string) => string;
  /** [code, pointer] of every finding, in order. */
  expected: Array<[string, string]>;
}

const MUTATIONS: Mutation[] = [
  {
    name: 'Prisma: delete expects 200 (it answers 204)',
    path: PRISMA,
    edit: (text) =>
      replaceOnce(text, '          - condition: $statusCode == 204\n', '          - condition: $statusCode == 200\n'),
    expected: [['preflight-undeclared-status', '/workflows/0/steps/4/successCriteria/0/condition']],
  },
  {
    name: 'Prisma: create expects 201 (it answers 200)',
    path: PRISMA,
    edit: (text) =>
      replaceOnce(
        text,
        '          - condition: $statusCode == 200\n          - context: $response.body',
        '          - condition: $statusCode == 201\n          - context: $response.body',
      ),
    expected: [['preflight-undeclared-status', '/workflows/0/steps/2/successCriteria/0/condition']],
  },
  {
    name: 'Prisma: secret output pointer broken',
    path: PRISMA,
    edit: (text) =>
      replaceOnce(text, '#/data/endpoints/direct/connectionString', '#/data/endpoint/direct/connectionString'),
    expected: [['preflight-undeclared-response-pointer', '/workflows/0/steps/2/outputs/newConnectionString']],
  },
  {
    name: 'Prisma: jsonpath criterion outside the data envelope',
    path: PRISMA,
    edit: (text) =>
      replaceOnce(text, 'condition: $.data.endpoints.direct.connectionString', 'condition: $.connectionString'),
    expected: [['preflight-undeclared-response-pointer', '/workflows/0/steps/2/successCriteria/1/condition']],
  },
  {
    name: "Prisma: status compared with 'active' (not in the enum)",
    path: PRISMA,
    edit: (text) => replaceOnce(text, "#/data/status == 'ready'", "#/data/status == 'active'"),
    expected: [['preflight-enum-mismatch', '/workflows/0/steps/0/successCriteria/1/condition']],
  },
  {
    name: "Prisma: status compared with 'READY' (case-insensitive: still fine)",
    path: PRISMA,
    edit: (text) => replaceOnce(text, "#/data/status == 'ready'", "#/data/status == 'READY'"),
    expected: [],
  },
  {
    name: 'Prisma: required body field `name` removed',
    path: PRISMA,
    edit: (text) => replaceOnce(text, 'payload:\n            name: $inputs.newName', 'payload: {}'),
    expected: [['preflight-missing-required-property', '/workflows/0/steps/2/requestBody/payload']],
  },
  {
    name: 'Prisma: `name` fed by an input made optional',
    path: PRISMA,
    edit: (text) => replaceOnce(text, '        - oldConnectionId\n        - newName\n', '        - oldConnectionId\n'),
    expected: [['preflight-required-from-optional-input', '/workflows/0/steps/2/requestBody/payload/name']],
  },
  {
    name: 'Prisma: body property the API does not define',
    path: PRISMA,
    edit: (text) =>
      replaceOnce(
        text,
        '            name: $inputs.newName\n',
        '            name: $inputs.newName\n            type: prisma\n',
      ),
    expected: [['preflight-undeclared-property', '/workflows/0/steps/2/requestBody/payload/type']],
  },
  {
    name: 'Prisma: the connection to revoke taken from a list position',
    path: PRISMA,
    edit: yamlEdit((doc) => {
      doc.setIn(['workflows', 0, 'steps', 0, 'outputs', 'firstConnectionId'], '$response.body#/data/connections/0/id');
      doc.setIn(
        ['workflows', 0, 'steps', 4, 'parameters', 1, 'value'],
        '$steps.confirmDatabase.outputs.firstConnectionId',
      );
    }),
    expected: [['preflight-list-position-target', '/workflows/0/steps/4/parameters/1/value']],
  },
  {
    name: 'Prisma: x-compensation removed from the create step',
    path: PRISMA,
    edit: yamlEdit((doc) => doc.deleteIn(['workflows', 0, 'steps', 2, 'x-compensation'])),
    expected: [['preflight-create-without-cleanup', '/workflows/0/steps/2']],
  },
  {
    name: 'Prisma: the new connection string no longer returned',
    path: PRISMA,
    edit: yamlEdit((doc) => doc.deleteIn(['workflows', 0, 'outputs', 'newConnectionString'])),
    expected: [['preflight-one-time-value-lost', '/workflows/0/steps/2/outputs/newConnectionString']],
  },
  {
    name: 'Prisma: the lock key built from the service token (the lock id would hold it in clear)',
    path: PRISMA,
    edit: (text) =>
      replaceOnce(
        text,
        "x-lock-key: 'prisma:{$inputs.databaseId}:{$inputs.oldConnectionId}'",
        "x-lock-key: 'prisma:{$inputs.databaseId}:{$inputs.apiToken}'",
      ),
    expected: [['preflight-secret-lock-key', '/workflows/0/x-lock-key']],
  },
  {
    name: 'Deepgram: delete expects 204 (it answers 200)',
    path: DEEPGRAM,
    edit: (text) =>
      replaceOnce(
        text,
        '          - condition: $statusCode == 200\n        outputs:\n          deletedKeyId',
        '          - condition: $statusCode == 204\n        outputs:\n          deletedKeyId',
      ),
    expected: [['preflight-undeclared-status', '/workflows/0/steps/4/successCriteria/0/condition']],
  },
  {
    name: 'Deepgram: jsonpath criterion with a misspelt member',
    path: DEEPGRAM,
    edit: (text) => replaceOnce(text, 'condition: $.api_key_id', 'condition: $.apikey_id'),
    expected: [['preflight-undeclared-response-pointer', '/workflows/0/steps/1/successCriteria/1/condition']],
  },
  {
    name: 'Deepgram: read-back pointer outside `item`',
    path: DEEPGRAM,
    edit: (text) =>
      replaceOnce(
        text,
        '$response.body#/item/member/api_key/api_key_id == $steps',
        '$response.body#/member/api_key/api_key_id == $steps',
      ),
    expected: [['preflight-undeclared-response-pointer', '/workflows/0/steps/2/successCriteria/1/condition']],
  },
  {
    name: 'Deepgram: required body field `scopes` removed',
    path: DEEPGRAM,
    edit: (text) => replaceOnce(text, '            scopes: $inputs.scopes\n', ''),
    expected: [['preflight-missing-required-property', '/workflows/0/steps/1/requestBody/payload']],
  },
  {
    name: 'Deepgram: the key to delete taken from a list position',
    path: DEEPGRAM,
    edit: yamlEdit((doc) => {
      doc.setIn(['workflows', 0, 'steps', 0, 'outputs', 'firstKeyId'], '$response.body#/item/member/api_key/scopes/0');
      doc.setIn(['workflows', 0, 'steps', 4, 'parameters', 2, 'value'], '$steps.checkOldKey.outputs.firstKeyId');
    }),
    expected: [['preflight-list-position-target', '/workflows/0/steps/4/parameters/2/value']],
  },
  {
    name: 'Deepgram: verification reduced to the status of the key list',
    path: DEEPGRAM,
    edit: yamlEdit((doc) => {
      doc.setIn(['workflows', 0, 'steps', 2, 'operationId'], 'listProjectKeys');
      doc.deleteIn(['workflows', 0, 'steps', 2, 'parameters', 2]);
      doc.deleteIn(['workflows', 0, 'steps', 2, 'successCriteria', 1]);
    }),
    expected: [['preflight-status-only-verification', '/workflows/0/steps/2/successCriteria']],
  },
  {
    name: 'Deepgram: new key dropped from the outputs but still used by a later step (delivered: no finding)',
    path: DEEPGRAM,
    edit: yamlEdit((doc) => doc.deleteIn(['workflows', 0, 'outputs', 'newKey'])),
    expected: [],
  },
  {
    name: 'Deepgram: new key neither returned nor used',
    path: DEEPGRAM,
    edit: yamlEdit((doc) => {
      doc.deleteIn(['workflows', 0, 'outputs', 'newKey']);
      doc.setIn(['workflows', 0, 'steps', 3, 'parameters', 0, 'value'], 'Token {$inputs.apiKey}');
    }),
    expected: [['preflight-one-time-value-lost', '/workflows/0/steps/1/outputs/newKey']],
  },
];

describe('mutated rotations', () => {
  it.each(MUTATIONS)('$name', async ({ path, edit, expected }) => {
    const set = await loadRepoDocument(path, edit);
    expect(set.findings).toEqual([]);
    expect(preflight(set).map((f) => [f.code, f.pointer])).toEqual(expected);
  });
});
