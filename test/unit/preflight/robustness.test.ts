// Pre-flight never throws: odd documents (whatever the schema would reject) are skipped where they cannot be
// read, and a rule that fails anyway becomes a finding on its step instead of an exception.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DocumentSet } from '../../../src/arazzo/document/index.js';
import { preflight, preflightSummary, runPreflight } from '../../../src/arazzo/preflight/index.js';
import { hasErrors, validateDocumentSet } from '../../../src/arazzo/validate/index.js';
import { loadFixture, rows } from './helpers.js';

const FIXTURES = [
  'status-codes',
  'response-pointers',
  'enum-literals',
  'request-parameters',
  'request-body',
  'list-position-target',
  'create-without-cleanup',
  'status-only-verification',
  'one-time-value-lost',
].map((name) => `${name}.arazzo.yaml`);

const withDocument = (set: DocumentSet, document: unknown): DocumentSet => ({
  ...set,
  entry: { ...set.entry, document: document as DocumentSet['entry']['document'] },
});

describe('pre-flight fixtures', () => {
  it.each(FIXTURES)('%s is a valid Arazzo document (the rules are tested on valid input)', async (name) => {
    const set = await loadFixture(name);
    expect(hasErrors(validateDocumentSet(set))).toBe(false);
  });
});

describe('robustness', () => {
  it('returns nothing for a document that did not parse, or is not an object', async () => {
    const set = await loadFixture('status-codes.arazzo.yaml');
    for (const document of [undefined, null, 42, 'text', [], {}])
      expect(preflight(withDocument(set, document))).toEqual([]);
  });

  it('skips nodes of the wrong shape without throwing', async () => {
    const set = await loadFixture('response-pointers.arazzo.yaml');
    const odd = {
      workflows: [
        null,
        'x',
        { workflowId: 'w', steps: 'none' },
        {
          workflowId: 'v',
          inputs: { $ref: '#/nowhere', allOf: 3 },
          steps: [
            7,
            { stepId: 'a', operationId: 'getOrder', successCriteria: 'x', outputs: [], parameters: {} },
            { stepId: 'b', operationId: 'getOrder', successCriteria: [null, { condition: 5 }, { condition: '$$$' }] },
            { stepId: 'c', operationId: 'createOrder', requestBody: { payload: [1, 2], replacements: 'r' } },
            { stepId: 'd', operationId: 'deleteOrder', parameters: [{ name: 'orderId', in: 'path', value: { a: 1 } }] },
            { stepId: 'e', operationId: 'getOrder', outputs: { x: 5, y: '$response.body#/%%' } },
            { stepId: 'f', operationPath: 3, onFailure: [{ criteria: [{ condition: '$statusCode ==' }] }] },
          ],
        },
      ],
    };
    expect(preflight(withDocument(set, odd)).filter((f) => f.code === 'preflight-internal-error')).toEqual([]);
  });

  it('survives arbitrary values anywhere in a step (property-based)', async () => {
    const set = await loadFixture('request-body.arazzo.yaml');
    const base = structuredClone(set.entry.document) as any;
    const fields = ['operationId', 'parameters', 'requestBody', 'successCriteria', 'onSuccess', 'onFailure', 'outputs'];
    fc.assert(
      fc.property(
        fc.nat({ max: base.workflows[0].steps.length - 1 }),
        fc.constantFrom(...fields),
        fc.anything({ maxDepth: 3 }),
        (index, field, value) => {
          const document = structuredClone(base);
          document.workflows[0].steps[index][field] = value;
          const findings = preflight(withDocument(set, document));
          expect(findings.filter((f) => f.code === 'preflight-internal-error')).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('turns a rule that throws into an internal-error finding on each step, and goes on', async () => {
    const set = await loadFixture('status-only-verification.arazzo.yaml');
    const broken = () => {
      throw new Error('boom');
    };
    const findings = runPreflight(set, {}, [broken]);
    expect(findings).toHaveLength(5);
    expect(rows(findings.slice(0, 1))).toEqual([
      [
        'error',
        'preflight-internal-error',
        '14:9',
        '/workflows/0/steps/0',
        'statusOnly',
        'pre-flight rule broken failed on this step: boom',
      ],
    ]);
  });
});

describe('options and summary', () => {
  it('checks only the workflow asked for, and says when there is none', async () => {
    const set = await loadFixture('create-without-cleanup.arazzo.yaml');
    expect(preflight(set, { workflowId: 'compensated' })).toEqual([]);
    expect(preflight(set, { workflowId: 'leaks' }).map((f) => f.code)).toContain('preflight-create-without-cleanup');
    expect(rows(preflight(set, { workflowId: 'nope' }))).toEqual([
      ['error', 'preflight-unknown-workflow', '15:1', '/workflows', undefined, 'no workflow has workflowId "nope"'],
    ]);
  });

  it('counts errors and warnings', async () => {
    const set = await loadFixture('request-body.arazzo.yaml');
    expect(preflightSummary(preflight(set))).toEqual({ errors: 5, warnings: 12, hints: 0 });
    expect(preflightSummary([])).toEqual({ errors: 0, warnings: 0, hints: 0 });
  });
});
