import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../../src/arazzo/model.js';
import { validateInputs } from '../../../src/arazzo/validate/index.js';

const workflow: Pick<Workflow, 'inputs'> = {
  inputs: {
    type: 'object',
    required: ['databaseId', 'scopes'],
    properties: {
      databaseId: { type: 'string' },
      scopes: { type: 'array', items: { type: 'string' } },
      connectionName: { type: 'string', default: 'rotated' },
      owner: { $ref: '#/components/inputs/owner' },
    },
  },
};

describe('validateInputs', () => {
  it('accepts valid inputs and applies schema defaults without touching the caller object', () => {
    const inputs = { databaseId: 'db1', scopes: ['a'] };
    const result = validateInputs(workflow, inputs, { inputs: { owner: { type: 'string' } } });
    expect(result).toEqual({ ok: true, value: { databaseId: 'db1', scopes: ['a'], connectionName: 'rotated' } });
    expect(inputs).toEqual({ databaseId: 'db1', scopes: ['a'] });
  });

  it('names the input and the rule for every problem', () => {
    const result = validateInputs(workflow, { scopes: 'a', owner: 3 }, { inputs: { owner: { type: 'string' } } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      { input: 'databaseId', pointer: '/databaseId', rule: 'required', message: 'input "databaseId": is required' },
      { input: 'scopes', pointer: '/scopes', rule: 'type', message: 'input "scopes": must be array' },
      { input: 'owner', pointer: '/owner', rule: 'type', message: 'input "owner": must be string' },
    ]);
  });

  it('reports nested problems with their path', () => {
    const result = validateInputs(
      { inputs: { type: 'object', properties: { customer: { type: 'object', required: ['uri'] } } } },
      { customer: {} },
    );
    expect(result).toMatchObject({
      ok: false,
      errors: [
        { input: 'customer', pointer: '/customer/uri', rule: 'required', message: 'input "customer.uri": is required' },
      ],
    });
  });

  it('accepts anything when the workflow declares no inputs', () => {
    expect(validateInputs({}, { x: 1 })).toEqual({ ok: true, value: { x: 1 } });
  });

  it('patterns run on RE2: a backtracking pattern answers at once; \\u escapes and patternProperties work', {
    timeout: 10_000,
  }, () => {
    const schema: Pick<Workflow, 'inputs'> = {
      inputs: {
        type: 'object',
        properties: {
          name: { type: 'string', pattern: '^(a*)*b$' },
          accent: { type: 'string', pattern: '^\\u00e9+$' },
        },
        patternProperties: { '^x-(a|a)*$': { type: 'number' } },
      },
    };
    const result = validateInputs(schema, { name: 'a'.repeat(50_000), accent: 'éé', 'x-aaaa': 'no' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.input, e.rule])).toEqual([
      ['name', 'pattern'],
      ['x-aaaa', 'type'],
    ]);
    expect(validateInputs(schema, { name: 'aab', accent: 'é', 'x-a': 1 }).ok).toBe(true);
  });
});

describe('validateInputs: a mistyped input', () => {
  it('names the property it does not know, and the input it probably meant', () => {
    const closed: Pick<Workflow, 'inputs'> = {
      inputs: {
        type: 'object',
        additionalProperties: false,
        properties: {
          newName: { type: 'string' },
          databaseId: { type: 'string' },
          extra: { type: 'object', additionalProperties: false },
        },
      },
    };
    const result = validateInputs(closed, { nweName: 'x', databaseId: 'db1', extra: { a: 1 } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      {
        input: 'nweName',
        pointer: '/nweName',
        rule: 'additionalProperties',
        message: 'input "nweName": not an input of this workflow (did you mean "newName"?)',
      },
      {
        input: 'extra',
        pointer: '/extra/a',
        rule: 'additionalProperties',
        message: 'input "extra.a": not an input of this workflow',
      },
    ]);
  });
});
