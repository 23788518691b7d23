// The Arazzo 1.1 schema test suite (specification repository, development branch), run through the
// validator `check` and `loadPlan` use: loadDocumentSet + validateDocumentSet, keeping only schema
// and version findings (the suite's documents name operations of descriptions that do not exist,
// which the semantic rules report; the suite judges the schema alone). The schema's "exactly one of
// these properties" oneOfs (operationId/operationPath/channelPath/workflowId; goto stepId/workflowId)
// are reported by the rules step-target and goto-target instead, in one sentence, so those count too.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDocumentSet } from '../../../src/arazzo/document/index.js';
import { schemaFor, validateDocumentSet } from '../../../src/arazzo/validate/index.js';
import { FIXTURES, readLocal } from '../document/fixture-reader.js';

const SCHEMA_CODES = ['schema', 'unsupported-arazzo-version', 'step-target', 'goto-target'];
const SUITE = `${FIXTURES}arazzo-spec/1.1/schema-tests/`;

async function schemaFindings(path: string) {
  const set = await loadDocumentSet(path, { read: readLocal });
  return validateDocumentSet(set).filter((f) => SCHEMA_CODES.includes(f.code));
}

const pass = readdirSync(`${SUITE}pass`).filter((name) => name.endsWith('.yaml'));
const fail = readdirSync(`${SUITE}fail`).filter((name) => name.endsWith('.yaml'));

describe('the Arazzo 1.1 schema tests', () => {
  it('are all here: 35 documents that pass, 27 that fail', () => {
    expect([pass.length, fail.length]).toEqual([35, 27]);
  });
  for (const file of pass) {
    it(`pass/${file} has no schema errors`, async () => {
      expect(await schemaFindings(`${SUITE}pass/${file}`)).toEqual([]);
    });
  }
  for (const file of fail) {
    it(`fail/${file} fails`, async () => {
      expect((await schemaFindings(`${SUITE}fail/${file}`)).length).toBeGreaterThan(0);
    });
  }
});

describe('which schema a document is validated against', () => {
  it('1.1.x by the 1.1 schema, 1.0.x and a document without a version string by the 1.0 schema', () => {
    expect(schemaFor({ arazzo: '1.1.0' })).toEqual({
      version: '1.1',
      schemaId: 'https://spec.openapis.org/arazzo/1.1/schema/WORK-IN-PROGRESS',
    });
    expect(schemaFor({ arazzo: '1.0.1' })).toEqual({
      version: '1.0',
      schemaId: 'https://spec.openapis.org/arazzo/1.0/schema/2025-10-15',
    });
    expect(schemaFor({ arazzo: 2 }).version).toBe('1.0');
  });
});

describe('what the 1.1 schema findings say', () => {
  const messages = async (file: string) =>
    (await schemaFindings(`${SUITE}fail/${file}`)).map((f) => [f.pointer, f.message]);

  it('an OpenAPI step is judged as one (no "missing action" from the AsyncAPI kind)', async () => {
    expect(await messages('invalid-openapi-parameter-without-in.arazzo.yaml')).toEqual([
      [
        '/workflows/0/steps/0/parameters/0',
        'parameter "limit" of step "getUsers" of workflow "openapiWorkflow" is missing required property "in"',
      ],
    ]);
  });

  it('a workflow step is judged as one (its parameters need no `in`)', async () => {
    expect(await messages('workflow-duplicate-parameters.arazzo.yaml')).toEqual([
      [
        '/workflows/0/steps/0/parameters',
        '"parameters" of step "nestedWorkflow" of workflow "parentWorkflow" has duplicate items (0 and 1 are identical)',
      ],
    ]);
  });

  it('$self with a fragment, an expression type version 1.1 does not know', async () => {
    expect(await messages('invalid-self-fragment.arazzo.yaml')).toEqual([
      ['/$self', '"$self" must match pattern "^[^#]*$"'],
    ]);
    expect((await messages('invalid-expression-type-object.arazzo.yaml')).at(-1)).toEqual([
      '/workflows/0/steps/0/outputs/brokenSelector/type/version',
      '"version" of "type" of "brokenSelector" of "outputs" of step "step2" of workflow "wf2" must be one of "xpath-10", "xpath-20", "xpath-30", "xpath-31"',
    ]);
  });
});
