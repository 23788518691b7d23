// Pre-flight rules for channel steps, one at a time, each with a step it must accept.
import { describe, expect, it } from 'vitest';
import { PREFLIGHT_EXPLANATIONS, preflight } from '../../../src/arazzo/preflight/index.js';
import { runPreflight } from '../../../src/arazzo/preflight/preflight.js';
import { checkChannelAction } from '../../../src/arazzo/preflight/rules/channel-action.js';
import { checkChannelProtocol } from '../../../src/arazzo/preflight/rules/channel-protocol.js';
import { checkCorrelationId } from '../../../src/arazzo/preflight/rules/correlation-id.js';
import { checkMessagePayload } from '../../../src/arazzo/preflight/rules/message-payload.js';
import { checkMessagePointers } from '../../../src/arazzo/preflight/rules/message-pointers.js';
import { checkReceiveTimeout } from '../../../src/arazzo/preflight/rules/receive-timeout.js';
import type { PreflightRule } from '../../../src/arazzo/preflight/context.js';
import { document, GOOD_RECEIVE, GOOD_SEND, loadWithAsyncApi, PET_ASYNCAPI } from '../document/message-step-support.js';

const run = async (rule: PreflightRule, steps: string, asyncapi?: string) =>
  runPreflight(await loadWithAsyncApi(document(steps), asyncapi), {}, [rule]).map((f) => ({
    severity: f.severity,
    code: f.code,
    pointer: f.pointer,
    message: f.message,
    hint: f.hint,
  }));

describe('pre-flight of message steps', () => {
  it('the good send and receive pass every rule', async () => {
    expect(preflight(await loadWithAsyncApi(document(GOOD_SEND + GOOD_RECEIVE)))).toEqual([]);
  });

  it('every code is explained and silenceable for one step', () => {
    for (const code of [
      'preflight-channel-action-contradicts-operation',
      'preflight-message-payload-mismatch',
      'preflight-missing-message-header',
      'preflight-undeclared-correlation-id',
      'preflight-receive-without-timeout',
      'preflight-unsupported-protocol',
      'preflight-unknown-message-pointer',
      'preflight-undeclared-message-pointer',
    ]) {
      expect(PREFLIGHT_EXPLANATIONS[code]?.silenceable).toBe(true);
    }
  });

  describe('channel-action', () => {
    const sendsOnly = PET_ASYNCAPI.replace(
      /operations:[\s\S]*?components:/,
      `operations:
  orderPlaced:
    action: send
    channel:
      $ref: "#/channels/place-order"
components:`,
    );
    it('a send on an operation that sends (no reply) contradicts it: a warning', async () => {
      const step = GOOD_SEND.replace('orders.placeOrder', 'orders.orderPlaced');
      expect(await run(checkChannelAction, step, sendsOnly)).toMatchObject([
        {
          severity: 'warning',
          code: 'preflight-channel-action-contradicts-operation',
          pointer: '/workflows/0/steps/0/action',
          hint: 'use action: receive (the counterpart of "orderPlaced"), or name the operation that receives on channel "place-order"',
        },
      ]);
    });
    it('a receive on it is its counterpart', async () => {
      const step = GOOD_RECEIVE.replace('orders.placeOrder', 'orders.orderPlaced');
      expect(await run(checkChannelAction, step, sendsOnly)).toEqual([]);
    });
    it('a receive on a receive operation with a reply is the request/reply case', async () => {
      expect(await run(checkChannelAction, GOOD_RECEIVE)).toEqual([]);
    });
  });

  describe('message-payload', () => {
    it('a required payload property missing, with the likely typo', async () => {
      const step = GOOD_SEND.replace('{ petId: $inputs.petId }', '{ petID: $inputs.petId }');
      expect(await run(checkMessagePayload, step)).toEqual([
        {
          severity: 'error',
          code: 'preflight-message-payload-mismatch',
          pointer: '/workflows/0/steps/0/requestBody/payload',
          message:
            'the payload of step "order" does not match message "placeOrder.message" (channel "place-order"): required property "petId" is not set',
          hint: 'did you mean "petId" instead of "petID"?',
        },
      ]);
    });
    it('a literal of the wrong type', async () => {
      const step = GOOD_SEND.replace('{ petId: $inputs.petId }', "{ petId: 'seven' }");
      expect(await run(checkMessagePayload, step)).toMatchObject([
        {
          code: 'preflight-message-payload-mismatch',
          pointer: '/workflows/0/steps/0/requestBody/payload/petId',
          message: expect.stringContaining('`#/petId` is string "seven", the schema says "integer"'),
        },
      ]);
    });
    it('an expression is not known before the run: not checked; a literal that fits passes', async () => {
      expect(await run(checkMessagePayload, GOOD_SEND)).toEqual([]);
      expect(await run(checkMessagePayload, GOOD_SEND.replace('$inputs.petId', '7'))).toEqual([]);
    });
    it('a replacement target counts as setting the property', async () => {
      const step = GOOD_SEND.replace(
        'payload: { petId: $inputs.petId }',
        'payload: {}\n          replacements:\n            - { target: /petId, value: $inputs.petId }',
      );
      expect(await run(checkMessagePayload, step)).toEqual([]);
    });
    it('a required header not sent: the rename the example needs', async () => {
      const step = GOOD_SEND.replace('name: orderRequestId', 'name: orderCorrelationId');
      expect(await run(checkMessagePayload, step)).toEqual([
        {
          severity: 'error',
          code: 'preflight-missing-message-header',
          pointer: '/workflows/0/steps/0/parameters',
          message:
            'step "order" does not send header "orderRequestId", which message "placeOrder.message" requires (it is the message\'s correlation id)',
          hint: 'rename header parameter "orderCorrelationId" to "orderRequestId" (message "placeOrder.message" declares no "orderCorrelationId")',
        },
      ]);
    });
    it('a receive step sends nothing: not checked', async () => {
      expect(await run(checkMessagePayload, GOOD_RECEIVE)).toEqual([]);
    });
  });

  describe('correlation-id', () => {
    const noLocation = PET_ASYNCAPI.replace(
      /(OrderResponse:\n\s+contentType: application\/json\n)\s+correlationId:\n.*\n.*\n/,
      '$1',
    );
    it('a correlationId on a step whose message declares no location', async () => {
      expect(noLocation).not.toBe(PET_ASYNCAPI);
      expect(await run(checkCorrelationId, GOOD_RECEIVE, noLocation)).toMatchObject([
        {
          severity: 'error',
          code: 'preflight-undeclared-correlation-id',
          pointer: '/workflows/0/steps/0/correlationId',
          message: expect.stringContaining(
            'message "confirmOrder.message" of channel "confirm-order" declares no correlationId location',
          ),
        },
      ]);
    });
    it('a declared location, or no correlationId, passes', async () => {
      expect(await run(checkCorrelationId, GOOD_RECEIVE)).toEqual([]);
      expect(
        await run(checkCorrelationId, GOOD_RECEIVE.replace('        correlationId: $inputs.id\n', ''), noLocation),
      ).toEqual([]);
    });
  });

  describe('receive-timeout', () => {
    it('a receive without timeout', async () => {
      expect(await run(checkReceiveTimeout, GOOD_RECEIVE.replace('        timeout: 5000\n', ''))).toMatchObject([
        { severity: 'error', code: 'preflight-receive-without-timeout', pointer: '/workflows/0/steps/0' },
      ]);
    });
    it('with a timeout, or a send, passes', async () => {
      expect(await run(checkReceiveTimeout, GOOD_RECEIVE + GOOD_SEND)).toEqual([]);
    });
  });

  describe('channel-protocol', () => {
    it('a protocol no binding carries', async () => {
      expect(
        await run(checkChannelProtocol, GOOD_SEND, PET_ASYNCAPI.replace('protocol: kafka', 'protocol: mqtt')),
      ).toMatchObject([
        {
          severity: 'error',
          code: 'preflight-unsupported-protocol',
          message: expect.stringContaining('protocol "mqtt": this engine has no binding for it (supported: kafka)'),
        },
      ]);
    });
    it('kafka passes', async () => {
      expect(await run(checkChannelProtocol, GOOD_SEND)).toEqual([]);
    });
  });

  describe('message-pointers', () => {
    it('a payload read the schema does not declare: a warning naming the closest pointer', async () => {
      const step = GOOD_RECEIVE.replace('orderId: $message.payload#/orderId', 'orderId: $message.payload#/orderID');
      expect(await run(checkMessagePointers, step)).toEqual([
        {
          severity: 'warning',
          code: 'preflight-undeclared-message-pointer',
          pointer: '/workflows/0/steps/0/outputs/orderId',
          message:
            '`$message.payload#/orderID` is not declared in the payload of message "confirmOrder.message" (its schema allows undeclared properties)',
          hint: 'did you mean `$message.payload#/orderId`?',
        },
      ]);
    });
    it('under a closed schema, in a criterion: an error', async () => {
      const closed = PET_ASYNCAPI.replace(
        '          - orderId\n        properties:',
        '          - orderId\n        additionalProperties: false\n        properties:',
      );
      expect(closed).not.toBe(PET_ASYNCAPI);
      const step = GOOD_RECEIVE.replace('$message.payload#/orderId != null', '$message.payload#/order != null');
      expect(await run(checkMessagePointers, step, closed)).toMatchObject([
        {
          severity: 'error',
          code: 'preflight-unknown-message-pointer',
          pointer: '/workflows/0/steps/0/successCriteria/0/condition',
        },
      ]);
    });
    it('a header the message does not declare', async () => {
      const step = `${GOOD_RECEIVE}          requestId: $message.header.requestId\n`;
      expect(await run(checkMessagePointers, step)).toMatchObject([
        {
          severity: 'warning',
          code: 'preflight-undeclared-message-pointer',
          pointer: '/workflows/0/steps/0/outputs/requestId',
          hint: 'its headers: orderRequestId',
        },
      ]);
    });
    it('declared reads pass', async () => {
      const step = `${GOOD_RECEIVE}          requestId: $message.header.orderRequestId\n`;
      expect(await run(checkMessagePointers, step)).toEqual([]);
    });
  });
});
