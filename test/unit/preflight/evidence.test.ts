// Severity by evidence (issue 18): each class of false finding met in real documents, rebuilt as the
// smallest document of that shape. Every list is exhaustive: a finding added, lost or changed fails.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDocumentSet } from '../../../src/arazzo/document/index.js';
import type { Finding } from '../../../src/arazzo/model.js';
import { explainCode, preflight } from '../../../src/arazzo/preflight/index.js';
import { validateDocumentSet } from '../../../src/arazzo/validate/index.js';

async function check(workflow: string, paths: string, only?: string) {
  const files: Record<string, string> = {
    '/m/a.arazzo.yaml': `arazzo: 1.0.1\ninfo: {title: t, version: 1.0.0}\nsourceDescriptions:\n  - {name: api, url: ./api.yaml, type: openapi}\nworkflows:\n${workflow}`,
    '/m/api.yaml': `openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n${paths}`,
  };
  const set = await loadDocumentSet('/m/a.arazzo.yaml', {
    read: async (url) => {
      if (url in files) return files[url];
      throw new Error(`no such file ${url}`);
    },
  });
  expect(set.findings).toEqual([]);
  const validation = validateDocumentSet(set);
  return [...validation, ...preflight(set)]
    .filter((f) => only === undefined || f.code === only)
    .map((f) => [f.severity, f.code, f.stepId, f.message]);
}

const scores = (closed: string) => `  /matches:
    get:
      operationId: listMatches
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  data:
                    type: array
                    items:
                      type: object
                      ${closed}
                      properties: {id: {type: string}, name: {type: string}}
              example: {data: [{id: m1, name: a, score: 0.9}]}
`;
const readScore = `  - workflowId: w
    steps:
      - stepId: search
        operationId: listMatches
        outputs: {score: $response.body#/data/0/score}
    outputs: {score: $steps.search.outputs.score}
`;

describe('an undeclared response field', () => {
  it('under an open schema is possible: a warning with the closest pointer', async () => {
    expect(await check(readScore, scores(''))).toEqual([
      [
        'warning',
        'preflight-undeclared-response-pointer',
        'search',
        'output `score`: `#/data/0/score` is not declared in the 200 response of listMatches (its schema allows undeclared properties); did you mean `#/data/0/name`?',
      ],
    ]);
  });

  it.each(['additionalProperties: false', 'unevaluatedProperties: false'])(
    'under a closed schema (%s) is impossible: an error',
    async (closed) => {
      expect(await check(readScore, scores(closed))).toEqual([
        [
          'error',
          'preflight-unknown-response-pointer',
          'search',
          'output `score`: `#/data/0/score` is not possible in the 200 response of listMatches (its schema allows no other properties); did you mean `#/data/0/name`?',
        ],
      ]);
    },
  );
});

const keys = (getReturnsKey: boolean) => `  /keys:
    get:
      operationId: listKeys
      parameters: [{name: pageToken, in: query, schema: {type: string}}]
      responses:
        '200':
          description: one page
          content:
            application/json:
              schema:
                type: object
                properties:
                  keys: {type: array, items: {type: object, properties: {id: {type: string}${getReturnsKey ? ', key: {type: string}' : ''}}}}
                  nextPageToken: {type: string}
    post:
      operationId: createKey
      responses:
        '201':
          description: created; the key is shown once
          content:
            application/json:
              schema:
                type: object
                properties: {id: {type: string}, key: {type: string, readOnly: true}}
  /keys/{id}:
    get:
      operationId: getKey
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: the key
          content:
            application/json:
              schema: {type: object, properties: {id: {type: string}${getReturnsKey ? ', key: {type: string}' : ''}}}
  /sessions:
    post:
      operationId: login
      responses:
        '200':
          description: a token
          content:
            application/json:
              schema: {type: object, properties: {token: {type: string}}}
`;

const ONE_TIME = 'preflight-one-time-value-lost';

describe('the one-time-value rule (its findings only)', () => {
  it('a pagination cursor (a GET list) is a hint: only its name says token', async () => {
    const findings = await check(
      `  - workflowId: w
    steps:
      - stepId: page
        operationId: listKeys
        outputs: {next: $response.body#/nextPageToken}
`,
      keys(false),
      ONE_TIME,
    );
    expect(findings).toEqual([
      [
        'hint',
        'preflight-one-time-value-lost',
        'page',
        'output `next` captures a value that may be shown only once (`$response.body#/nextPageToken`; only its name suggests a credential), and it is neither a workflow output nor read by another step: it is lost when the run ends',
      ],
    ]);
  });

  it('a created key no GET returns is an error; one a GET also returns is a warning', async () => {
    const create = `  - workflowId: w
    steps:
      - stepId: mint
        operationId: createKey
        outputs: {id: $response.body#/id, key: $response.body#/key}
    outputs: {id: $steps.mint.outputs.id}
`;
    expect(await check(create, keys(false), ONE_TIME)).toEqual([
      [
        'error',
        'preflight-one-time-value-lost',
        'mint',
        'output `key` captures a value that may be shown only once (`$response.body#/key`; createKey creates it and no GET operation of the description returns `key`), and it is neither a workflow output nor read by another step: it is lost when the run ends',
      ],
    ]);
    expect(await check(create, keys(true), ONE_TIME)).toEqual([
      [
        'warning',
        'preflight-one-time-value-lost',
        'mint',
        'output `key` captures a value that may be shown only once (`$response.body#/key`; createKey creates it; listKeys also returns a `key`, which may or may not show it again), and it is neither a workflow output nor read by another step: it is lost when the run ends',
      ],
    ]);
  });

  it('decided: a token replaced by a later refresh, and a key read back and returned, are not lost', async () => {
    const refreshed = `  - workflowId: w
    steps:
      - stepId: first
        operationId: login
        outputs: {token: $response.body#/token}
      - stepId: refresh
        operationId: login
        outputs: {token: $response.body#/token}
    outputs: {token: $steps.refresh.outputs.token}
`;
    expect(await check(refreshed, keys(false), ONE_TIME)).toEqual([]);
    const readBack = `  - workflowId: w
    steps:
      - stepId: mint
        operationId: createKey
        outputs: {id: $response.body#/id, key: $response.body#/key}
      - stepId: readBack
        operationId: getKey
        parameters: [{name: id, in: path, value: $steps.mint.outputs.id}]
        outputs: {key: $response.body#/key}
    outputs: {key: $steps.readBack.outputs.key}
`;
    expect(await check(readBack, keys(true), ONE_TIME)).toEqual([]);
  });
});

describe('a simple condition with a double-quoted string literal', () => {
  it('is accepted, and the warning computed for it is shown', async () => {
    const findings = await check(
      `  - workflowId: w
    inputs: {type: object, properties: {scope: {type: string}}}
    steps:
      - stepId: page
        operationId: listKeys
        successCriteria: [{condition: $statusCode == 200 && $inputs.scope == "url"}]
`,
      keys(false),
    );
    expect(findings).toEqual([
      [
        'warning',
        'double-quoted-string',
        'page',
        'simple condition "$statusCode == 200 && $inputs.scope == "url"": the spec writes string literals in single quotes; double quotes are accepted',
      ],
    ]);
  });
});

describe('silencing one finding for one step', () => {
  const twoSteps = (extension: string) => `  - workflowId: w
    steps:
      - stepId: first
        operationId: listKeys
        successCriteria: [{condition: $statusCode == 201}]
${extension}      - stepId: second
        operationId: listKeys
        successCriteria: [{condition: $statusCode == 201}]
`;
  const load = async (workflow: string) => {
    const files: Record<string, string> = {
      '/m/a.arazzo.yaml': `arazzo: 1.0.1\ninfo: {title: t, version: 1.0.0}\nsourceDescriptions:\n  - {name: api, url: ./api.yaml, type: openapi}\nworkflows:\n${workflow}`,
      '/m/api.yaml': `openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n${keys(false)}`,
    };
    return loadDocumentSet('/m/a.arazzo.yaml', { read: async (url) => files[url] });
  };
  const STATUS = 'preflight-undeclared-status';
  const of = (findings: Finding[]) =>
    findings
      .filter((f) => f.code === STATUS || f.code === 'preflight-ignore-unknown')
      .map((f) => [f.severity, f.code, f.stepId ?? f.pointer]);

  it("a step's x-preflight-ignore silences that code on that step only", async () => {
    const set = await load(twoSteps(`        x-preflight-ignore: [${STATUS}]\n`));
    expect(of(preflight(set))).toEqual([['error', STATUS, 'second']]);
  });

  it('a <stepId>:<code> entry silences it on that step; entries that name nothing, or an unsilenceable code, are errors', async () => {
    const set = await load(twoSteps(''));
    expect(of(preflight(set, { ignore: [`second:${STATUS}`] }))).toEqual([['error', STATUS, 'first']]);
    expect(
      of(
        preflight(set, {
          ignore: [STATUS, `third:${STATUS}`, 'first:preflight-secret-lock-key', 'first:preflight-nope'],
        }),
      ),
    ).toEqual([
      ['error', 'preflight-ignore-unknown', ''],
      ['error', 'preflight-ignore-unknown', ''],
      ['error', 'preflight-ignore-unknown', ''],
      ['error', 'preflight-ignore-unknown', ''],
      ['error', STATUS, 'first'],
      ['error', STATUS, 'second'],
    ]);
  });

  it('a misspelt code in x-preflight-ignore silences nothing and says so', async () => {
    const set = await load(twoSteps('        x-preflight-ignore: [preflight-undeclared-stauts]\n'));
    expect(of(preflight(set))).toEqual([
      ['error', STATUS, 'first'],
      ['warning', 'preflight-ignore-unknown', 'first'],
      ['error', STATUS, 'second'],
    ]);
  });

  it('--explain knows every code a pre-flight rule reports, and how to silence it', () => {
    const codes = new Set(
      [
        ...readFileSync(new URL('../../../src/arazzo/preflight/preflight.ts', import.meta.url), 'utf8').matchAll(
          /(?<![\w-])(preflight-[a-z-]+)/g,
        ),
      ].map((match) => match[1]),
    );
    for (const code of codes) expect(explainCode(code), code).toMatch(new RegExp(`^${code} \\(`));
    expect(explainCode('preflight-one-time-value-lost')).toContain(
      'x-preflight-ignore: [preflight-one-time-value-lost]',
    );
    expect(explainCode('preflight-secret-lock-key')).toContain('cannot be silenced');
    expect(explainCode('schema')).toBeUndefined();
  });
});
