// `$message.header.<name>` / `$message.payload[#/pointer]` (Arazzo 1.1): parsed, formatted, evaluated
// over ExpressionContext.message, usable in criteria; refused in 1.0 documents and outside a channel
// step's outputs and successCriteria.
import { describe, expect, it } from 'vitest';
import { compileCriterion, evaluateCriterion } from '../../../src/arazzo/criteria/index.js';
import {
  evaluateExpression,
  formatRuntimeExpression,
  parseRuntimeExpression,
} from '../../../src/arazzo/expressions/index.js';
import { validateDocumentSet } from '../../../src/arazzo/validate/index.js';
import { loadInline } from '../document/fixture-reader.js';
import { document, GOOD_RECEIVE, GOOD_SEND, loadWithAsyncApi } from '../document/message-step-support.js';

const context = {
  inputs: {},
  steps: {},
  message: { headers: { orderRequestId: 'r-1' }, payload: { orderId: 42, items: [{ sku: 'a' }] } },
};

describe('$message expressions', () => {
  it('parse, format and evaluate', () => {
    for (const [text, value] of [
      ['$message.header.orderRequestId', 'r-1'],
      ['$message.header.ORDERREQUESTID', 'r-1'],
      ['$message.payload', context.message.payload],
      ['$message.payload#/orderId', 42],
      ['$message.payload#/items/0/sku', 'a'],
      ['$message.payload#/missing', undefined],
    ] as const) {
      const parsed = parseRuntimeExpression(text);
      expect(parsed.ok, text).toBe(true);
      if (!parsed.ok) continue;
      expect(formatRuntimeExpression(parsed.value)).toBe(text);
      expect(evaluateExpression(parsed.value, context)).toEqual(value);
    }
  });

  it('without a message in the context, nothing', () => {
    const parsed = parseRuntimeExpression('$message.payload#/orderId');
    expect(parsed.ok && evaluateExpression(parsed.value, { inputs: {}, steps: {} })).toBeUndefined();
  });

  it("the spec example's `$message.payload.orderId`: an error with the pointer form as hint", () => {
    const parsed = parseRuntimeExpression('$message.payload.orderId');
    expect(parsed).toMatchObject({
      ok: false,
      error: {
        message: '`$message.payload` is followed by a JSON Pointer introduced by `#`, found `.`',
        hint: 'did you mean `$message.payload#/orderId`?',
      },
    });
  });

  it('`$message.body` and `$message.headers` suggest the right source', () => {
    expect(parseRuntimeExpression('$message.body#/a')).toMatchObject({
      ok: false,
      error: { hint: 'did you mean `$message.payload`?' },
    });
    expect(parseRuntimeExpression('$message.headers.x')).toMatchObject({
      ok: false,
      error: { hint: 'did you mean `$message.header`?' },
    });
  });

  it('criteria evaluate over the message (simple condition, and a context)', () => {
    for (const [criterion, passed] of [
      [{ condition: '$message.payload#/orderId == 42' }, true],
      [{ condition: "$message.header.orderRequestId == 'r-2'" }, false],
      [{ context: '$message.payload', condition: '$.orderId', type: 'jsonpath' }, true],
    ] as const) {
      const compiled = compileCriterion(criterion as never);
      expect(compiled.ok, JSON.stringify(criterion)).toBe(true);
      if (compiled.ok) expect(evaluateCriterion(compiled.value, context).passed, criterion.condition).toBe(passed);
    }
  });
});

describe('$message in documents', () => {
  it("is fine in a channel step's outputs and successCriteria", async () => {
    expect(validateDocumentSet(await loadWithAsyncApi(document(GOOD_SEND + GOOD_RECEIVE)))).toEqual([]);
  });

  it('elsewhere it has no value: an error', async () => {
    const later = `      - stepId: later
        operationId: $sourceDescriptions.orders.placeOrder
        action: send
        parameters:
          - { name: orderRequestId, in: header, value: $message.header.orderRequestId }
`;
    const findings = validateDocumentSet(await loadWithAsyncApi(document(GOOD_RECEIVE + later)));
    expect(findings.map((f) => [f.code, f.pointer])).toEqual([
      ['message-expression-out-of-scope', '/workflows/0/steps/1/parameters/0/value'],
    ]);
  });

  it('in an Arazzo 1.0 document: an error naming the version', async () => {
    const set = await loadInline(`arazzo: 1.0.1
info: { title: t, version: '1' }
sourceDescriptions:
  - { name: pets, url: ./pets.openapi.yaml }
workflows:
  - workflowId: w
    steps:
      - stepId: s
        operationId: listPets
        outputs:
          id: $message.payload#/id
`);
    const finding = validateDocumentSet(set).find((f) => f.code === 'message-expression-not-1-0');
    expect(finding).toMatchObject({
      pointer: '/workflows/0/steps/0/outputs/id',
      message: '"$message.payload#/id": `$message` is Arazzo 1.1 (message steps); this document is Arazzo 1.0.1',
    });
  });
});
