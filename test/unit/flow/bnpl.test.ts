import { fileURLToPath } from 'node:url';
// Drives the spec's BNPL example through each of its branches with scripted outcomes and checks
// the exact sequence of steps taken.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Workflow } from './flow-api.js';
import { runScript, type Script } from './run-script.js';

// The spec's example documents, vendored unchanged under test/fixtures/arazzo-spec/.
const referenceDir = fileURLToPath(new URL('../../fixtures/arazzo-spec', import.meta.url));
const doc = parse(readFileSync(`${referenceDir}/examples/bnpl-arazzo.yaml`, 'utf8')) as {
  workflows: Workflow[];
};
const workflow = doc.workflows[0];

const ok = (...matches: string[]) => [{ successful: true, matches }];
const fails = (message: string) => [{ successful: false, message }];

// Every step succeeds and no action criteria hold unless a branch says otherwise.
const base: Script = {
  checkLoanCanBeProvided: ok(),
  getCustomerTermsAndConditions: ok(),
  createCustomer: ok(),
  initiateBnplTransaction: ok(),
  authenticateCustomerAndAuthorizeLoan: ok(),
  retrieveFinalizedPaymentPlan: ok(),
  updateOrderStatus: ok(),
};

describe('BNPL example branches', () => {
  it('ends at once when the existing customer is not eligible (end, first match wins over later matches)', () => {
    const r = runScript(workflow, {
      ...base,
      checkLoanCanBeProvided: ok('existingCustomerNotEligible', 'qualifyingProductsFound'),
    });
    expect(r.steps).toEqual(['checkLoanCanBeProvided']);
    expect(r.final).toMatchObject({
      kind: 'end',
      outcome: 'succeeded',
      action: { name: 'existingCustomerNotEligible' },
    });
  });

  it('ends when no qualifying products are found', () => {
    const r = runScript(workflow, { ...base, checkLoanCanBeProvided: ok('qualifyingProductsNotFound') });
    expect(r.steps).toEqual(['checkLoanCanBeProvided']);
    expect(r.final).toMatchObject({
      kind: 'end',
      outcome: 'succeeded',
      action: { name: 'qualifyingProductsNotFound' },
    });
  });

  it('new customer, eligibility check required, customer eligible, authorization required: full path', () => {
    const r = runScript(workflow, {
      ...base,
      checkLoanCanBeProvided: ok('qualifyingProductsFound'),
      getCustomerTermsAndConditions: ok('eligibilityCheckRequired'),
      createCustomer: ok('customerIsEligible'),
      initiateBnplTransaction: ok('CustomerAuthorizationRequired'),
    });
    expect(r.steps).toEqual([
      'checkLoanCanBeProvided',
      'getCustomerTermsAndConditions',
      'createCustomer',
      'initiateBnplTransaction',
      'authenticateCustomerAndAuthorizeLoan',
      'retrieveFinalizedPaymentPlan',
      'updateOrderStatus',
    ]);
    expect(r.final).toEqual({ kind: 'complete' });
    expect(r.moves.map((m) => m.kind)).toEqual([
      'goto-step',
      'goto-step',
      'goto-step',
      'goto-step',
      'next',
      'next',
      'complete',
    ]);
  });

  it('eligibility check not required and no authorization: skips createCustomer and authentication', () => {
    const r = runScript(workflow, {
      ...base,
      checkLoanCanBeProvided: ok('qualifyingProductsFound'),
      getCustomerTermsAndConditions: ok('eligibilityCheckNotRequired'),
      initiateBnplTransaction: ok('CustomerAuthorizationNotRequired'),
    });
    expect(r.steps).toEqual([
      'checkLoanCanBeProvided',
      'getCustomerTermsAndConditions',
      'initiateBnplTransaction',
      'retrieveFinalizedPaymentPlan',
      'updateOrderStatus',
    ]);
    expect(r.final).toEqual({ kind: 'complete' });
  });

  it('eligibility check not required but authorization required', () => {
    const r = runScript(workflow, {
      ...base,
      checkLoanCanBeProvided: ok('qualifyingProductsFound'),
      getCustomerTermsAndConditions: ok('eligibilityCheckNotRequired'),
      initiateBnplTransaction: ok('CustomerAuthorizationRequired'),
    });
    expect(r.steps).toEqual([
      'checkLoanCanBeProvided',
      'getCustomerTermsAndConditions',
      'initiateBnplTransaction',
      'authenticateCustomerAndAuthorizeLoan',
      'retrieveFinalizedPaymentPlan',
      'updateOrderStatus',
    ]);
  });

  it('ends after createCustomer when the customer is not eligible', () => {
    const r = runScript(workflow, {
      ...base,
      checkLoanCanBeProvided: ok('qualifyingProductsFound'),
      getCustomerTermsAndConditions: ok('eligibilityCheckRequired'),
      createCustomer: ok('customerIsNotEligible'),
    });
    expect(r.steps).toEqual(['checkLoanCanBeProvided', 'getCustomerTermsAndConditions', 'createCustomer']);
    expect(r.final).toMatchObject({ kind: 'end', outcome: 'succeeded', action: { name: 'customerIsNotEligible' } });
  });

  it('with no success action matching anywhere, runs the steps in document order', () => {
    const r = runScript(workflow, base);
    expect(r.steps).toEqual(workflow.steps.map((s) => s.stepId));
    expect(r.final).toEqual({ kind: 'complete' });
  });

  it('a failing step without onFailure fails the run, naming the step (spec default: break and return)', () => {
    const r = runScript(workflow, {
      ...base,
      checkLoanCanBeProvided: ok('qualifyingProductsFound'),
      getCustomerTermsAndConditions: ok('eligibilityCheckNotRequired'),
      initiateBnplTransaction: fails('expected $statusCode == 202, got 400'),
    });
    expect(r.steps).toEqual(['checkLoanCanBeProvided', 'getCustomerTermsAndConditions', 'initiateBnplTransaction']);
    expect(r.final).toEqual({
      kind: 'fail',
      reason: "step 'initiateBnplTransaction' failed: expected $statusCode == 202, got 400",
    });
  });

  it('a failure of the first step fails at once', () => {
    const r = runScript(workflow, { ...base, checkLoanCanBeProvided: fails('503') });
    expect(r.steps).toEqual(['checkLoanCanBeProvided']);
    expect(r.final.kind).toBe('fail');
  });
});
