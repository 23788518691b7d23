// Where the new secrets are, as the approval prompt says it, and which are held by nobody.
import { describe, expect, it } from 'vitest';
import type { PlanStep } from '../../../src/arazzo/plan/types.js';
import { describeHoldings, missingSecretOutputs, secretHoldings } from '../../../src/workflows/secrets-held.js';

const mint = {
  stepId: 'mint',
  outputs: { id: '$response.body#/id', newSecret: '$response.body#/secret', receipt: '$response.body#/r' },
} as unknown as PlanStep;

describe('secrets held', () => {
  it('says where each secret output is: delivered, kept in history, given as a reference, or held by nobody', () => {
    const delivered = {
      $secret: 'delivered:file:n.txt',
      delivered: { to: 'file', name: 'n.txt', fingerprint: 'ab12', step: 'mint', output: 'receipt', at: '' },
    };
    const lines = (outputs: Record<string, unknown>) =>
      describeHoldings(secretHoldings([mint], { mint: outputs }, { receipt: 'file:n.txt' }, new Set()));
    expect(lines({ id: 'x', newSecret: 'value', receipt: delivered })).toEqual([
      expect.stringMatching(/^mint\.newSecret → kept in this run's encrypted history \(•••••• \(fp [0-9a-f]{4}\)\)$/),
      'mint.receipt → secret delivered to file:n.txt (fp ab12)',
    ]);
    expect(lines({ id: 'x', newSecret: { $secret: 'env:NEW' } })).toEqual([
      'mint.newSecret → given as secret env:NEW',
      'mint.receipt → held by nobody',
    ]);
  });

  it('an id without its secret misses the secret', () => {
    expect(missingSecretOutputs(mint, { id: 'x' }, undefined, new Set())).toEqual(['newSecret']);
    expect(missingSecretOutputs(mint, { id: 'x', newSecret: { $secret: 'file:s' } }, undefined, new Set())).toEqual([]);
  });
});
