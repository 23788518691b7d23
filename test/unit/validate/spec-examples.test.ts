import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDocumentSet } from '../../../src/arazzo/document/index.js';
import type { Finding } from '../../../src/arazzo/model.js';
import { validateDocumentSet } from '../../../src/arazzo/validate/index.js';
import { EXAMPLES, FIXTURES, REPO, readLocal, SCHEMA_TESTS } from '../document/fixture-reader.js';

const brief = (findings: Finding[]) =>
  findings.map((f) => ({ severity: f.severity, code: f.code, pointer: f.pointer }));

// The bnpl example names its description by its published URL; a copy sits beside it.
const EXAMPLE_SOURCES = {
  'https://raw.githubusercontent.com/OAI/Arazzo-Specification/main/examples/1.0.0/bnpl-openapi.yaml': `${EXAMPLES}bnpl-openapi.yaml`,
};

async function validateExample(file: string) {
  const set = await loadDocumentSet(`${EXAMPLES}${file}`, { read: readLocal, sourceMap: EXAMPLE_SOURCES });
  return validateDocumentSet(set);
}

describe('the specification examples', () => {
  it('ExtendedParametersExample: its source ./animals.yaml does not exist (one finding, no crash)', async () => {
    expect(brief(await validateExample('ExtendedParametersExample.arazzo.yaml'))).toEqual([
      { severity: 'error', code: 'source-unreadable', pointer: '/sourceDescriptions/0/url' },
    ]);
  });

  it('FAPI-PAR: calls operationId PAR, but the description declares Par', async () => {
    const findings = await validateExample('FAPI-PAR.arazzo.yaml');
    expect(brief(findings)).toEqual([
      { severity: 'error', code: 'unknown-operation', pointer: '/workflows/0/steps/0/operationId' },
    ]);
    expect(findings[0]).toMatchObject({
      message: 'source "auth-api" has no operation with operationId "PAR"',
      hint: 'did you mean "Par"?',
      line: 102,
      column: 22,
      stepId: 'PARStep',
    });
  });

  it('LoginAndRetrievePets: remote source unreadable offline; operationPath points at a path item, not an operation', async () => {
    const findings = await validateExample('LoginAndRetrievePets.arazzo.yaml');
    expect(brief(findings)).toEqual([
      { severity: 'error', code: 'source-unreadable', pointer: '/sourceDescriptions/0/url' },
      { severity: 'error', code: 'operation-path-not-operation', pointer: '/workflows/0/steps/1/operationPath' },
    ]);
    expect(findings[1]).toMatchObject({ line: 46, column: 20 });
  });

  it('bnpl: references to outputs that no step declares, a self-reference, and a $steps expression without .outputs', async () => {
    const findings = await validateExample('bnpl-arazzo.yaml');
    expect(brief(findings)).toEqual([
      // authenticateCustomerAndAuthorizeLoan passes its own (undeclared) output as a parameter.
      { severity: 'warning', code: 'step-not-yet-run', pointer: '/workflows/0/steps/4/parameters/0/value' },
      { severity: 'error', code: 'unknown-step-output', pointer: '/workflows/0/steps/4/parameters/0/value' },
      // initiateBnplTransaction outputs redirectAuthToken and loanTransactionResourceUrl, not loanTransactionId.
      { severity: 'error', code: 'unknown-step-output', pointer: '/workflows/0/steps/5/parameters/0/value' },
      { severity: 'error', code: 'unknown-step-output', pointer: '/workflows/0/steps/6/parameters/0/value' },
      // $steps.retrieveFinalizedPaymentPlan.finalizedPaymentPlan is missing `.outputs`.
      { severity: 'error', code: 'invalid-expression', pointer: '/workflows/0/outputs/finalizedPaymentPlan' },
    ]);
    expect(findings[2]).toMatchObject({
      message:
        '"$steps.initiateBnplTransaction.outputs.loanTransactionId": step "initiateBnplTransaction" has no output "loanTransactionId"',
      hint: 'its outputs: redirectAuthToken, loanTransactionResourceUrl',
      line: 242,
      column: 16,
    });
  });

  it('oauth: clean', async () => {
    expect(await validateExample('oauth.arazzo.yaml')).toEqual([]);
  });

  it('pet-coupons: getPetCoupons is called with path parameter pet_id; its path is /pet/{petId}/coupons', async () => {
    const findings = await validateExample('pet-coupons.arazzo.yaml');
    expect(brief(findings)).toEqual([
      { severity: 'error', code: 'missing-path-parameter', pointer: '/workflows/0/steps/1/parameters' },
      { severity: 'error', code: 'unknown-path-parameter', pointer: '/workflows/0/steps/1/parameters/0/name' },
    ]);
    expect(findings.map((f) => f.hint)).toEqual(['rename parameter "pet_id" to "petId"', 'did you mean "petId"?']);
  });
});

describe('the schema tests', () => {
  const schemaFindings = async (path: string) => {
    const set = await loadDocumentSet(path, { read: readLocal });
    return validateDocumentSet(set).filter((f) => f.code === 'schema' || f.code === 'unsupported-arazzo-version');
  };
  for (const file of readdirSync(`${SCHEMA_TESTS}pass`)) {
    it(`pass/${file} has no schema errors`, async () => {
      expect(await schemaFindings(`${SCHEMA_TESTS}pass/${file}`)).toEqual([]);
    });
  }
  for (const file of readdirSync(`${SCHEMA_TESTS}fail`)) {
    it(`fail/${file} fails`, async () => {
      expect((await schemaFindings(`${SCHEMA_TESTS}fail/${file}`)).length).toBeGreaterThan(0);
    });
  }
  it('says why: a numeric arazzo version, a list for a document', async () => {
    expect((await schemaFindings(`${SCHEMA_TESTS}fail/invalid-arazzo-version.yaml`)).map((f) => f.message)).toEqual([
      '"arazzo" must be a string',
    ]);
    expect(
      (await schemaFindings(`${SCHEMA_TESTS}fail/not-an-object.yaml`)).map((f) => [f.message, f.line, f.column]),
    ).toEqual([['the document must be an object', 1, 1]]);
  });
});

describe('the seeds', () => {
  const SEED_SOURCES = {
    '../openapi/deepgram-management-openapi.yml': `${FIXTURES}as-referenced-by-seed-deepgram-management-openapi.yml`,
    '../openapi/prisma-postgres-management-openapi.yml': `${FIXTURES}as-referenced-by-seed-prisma-postgres-management-openapi.yml`,
  };
  const validateSeed = async (file: string) => {
    const set = await loadDocumentSet(`${REPO}arazzo/seeds/${file}`, { read: readLocal, sourceMap: SEED_SOURCES });
    return validateDocumentSet(set);
  };

  it('deepgram: one unbraced-expression warning per "Token $inputs.apiKey", no errors', async () => {
    const findings = await validateSeed('deepgram-rotate-project-key.arazzo.yaml');
    expect(findings.map((f) => [f.severity, f.code, f.pointer, f.line, f.column])).toEqual([
      ['warning', 'unbraced-expression', '/workflows/0/steps/0/parameters/0/value', 51, 20],
      ['warning', 'unbraced-expression', '/workflows/0/steps/1/parameters/0/value', 72, 20],
      ['warning', 'unbraced-expression', '/workflows/0/steps/2/parameters/0/value', 87, 20],
    ]);
    expect(findings[0].hint).toBe('write it braced: "Token {$inputs.apiKey}"');
  });

  it('prisma: one unbraced-expression warning per "Bearer $inputs.apiToken", no errors', async () => {
    const findings = await validateSeed('prisma-postgres-rotate-connection-string.arazzo.yaml');
    expect(findings.map((f) => [f.severity, f.code, f.pointer, f.line, f.column])).toEqual([
      ['warning', 'unbraced-expression', '/workflows/0/steps/0/parameters/1/value', 43, 20],
      ['warning', 'unbraced-expression', '/workflows/0/steps/1/parameters/1/value', 61, 20],
      ['warning', 'unbraced-expression', '/workflows/0/steps/2/parameters/1/value', 76, 20],
      ['warning', 'unbraced-expression', '/workflows/0/steps/3/parameters/1/value', 97, 20],
    ]);
    expect(findings[0].message).toBe(
      'unbraced runtime expression "$inputs.apiToken" inside a string (substituted: lenient dialect)',
    );
  });
});
