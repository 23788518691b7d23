// buildMessage: a send step's message from the plan step and the run's context.
import { describe, expect, it } from 'vitest';
import type { ExpressionContext } from '../../../src/arazzo/expressions/index.js';
import { buildMessage } from '../../../src/arazzo/messages/index.js';
import type { PlanStep } from '../../../src/arazzo/plan/types.js';
import { RequestBuildError } from '../../../src/arazzo/request/errors.js';

function sendStep(overrides: Partial<PlanStep> = {}, address = 'place-order'): PlanStep {
  return {
    stepId: 'order',
    pointer: '/workflows/0/steps/0',
    parameters: [{ name: 'orderRequestId', in: 'header', value: '$inputs.id' }],
    requestBody: { payload: { petId: '$inputs.petId', note: 'for {$inputs.id}' } },
    successCriteria: [],
    outputs: {},
    actions: { success: [], failure: [] },
    approval: 'none',
    message: {
      action: 'send',
      channel: {
        sourceName: 'orders',
        operationId: 'placeOrder',
        channelKey: 'place-order',
        address,
        server: { name: 'localKafka', protocol: 'kafka', host: 'localhost:9092' },
        message: {
          name: 'placeOrder.message',
          contentType: 'application/json',
          correlationIdLocation: '$message.header#/orderRequestId',
        },
      },
    },
    ...overrides,
  };
}

const context: ExpressionContext = { inputs: { id: 'r-1', petId: 7, region: 'eu' }, steps: {} };

describe('buildMessage', () => {
  it('headers, payload (types kept, templates filled) and the correlation key', () => {
    expect(buildMessage(sendStep(), context, false)).toEqual({
      address: 'place-order',
      headers: { orderRequestId: 'r-1' },
      payload: { petId: 7, note: 'for r-1' },
      key: 'r-1',
    });
  });

  it('no key when the message declares no correlation location, or the message has no value there', () => {
    const step = sendStep();
    delete step.message!.channel.message!.correlationIdLocation;
    expect(buildMessage(step, context, false).key).toBeUndefined();
    expect(buildMessage(sendStep(), { inputs: { petId: 7 }, steps: {} }, false)).toEqual({
      address: 'place-order',
      headers: {},
      // as in an HTTP body, a template whose expression has no value is left out
      payload: { petId: 7 },
    });
  });

  it('a key from the payload', () => {
    const step = sendStep();
    step.message!.channel.message!.correlationIdLocation = '$message.payload#/petId';
    expect(buildMessage(step, context, false).key).toBe('7');
  });

  it('address parameters from `in: path`', () => {
    const step = sendStep(
      { parameters: [...sendStep().parameters, { name: 'region', in: 'path', value: '$inputs.region' }] },
      'orders.{region}.placed',
    );
    expect(buildMessage(step, context, false).address).toBe('orders.eu.placed');
  });

  it('an address parameter with no value is a RequestBuildError naming it', () => {
    const step = sendStep(
      { parameters: [{ name: 'region', in: 'path', value: '$inputs.nowhere' }] },
      'orders.{region}.placed',
    );
    expect(() => buildMessage(step, context, false)).toThrow(RequestBuildError);
    expect(() => buildMessage(step, context, false)).toThrow(
      'channel address parameter `region` resolved to nothing: `$inputs.nowhere`',
    );
    expect(() => buildMessage(sendStep({ parameters: [] }, 'orders.{region}'), context, false)).toThrow(
      'channel address `orders.{region}` has parameter `region` and the step has no `in: path` parameter `region`',
    );
  });

  it('a query parameter has no place in a message', () => {
    const step = sendStep({ parameters: [{ name: 'q', in: 'query', value: 'x' }] });
    expect(() => buildMessage(step, context, false)).toThrow(/a message takes `in: header`/);
  });

  it('a header value with a line break is refused', () => {
    expect(() => buildMessage(sendStep(), { inputs: { id: 'a\nb', petId: 1 }, steps: {} }, false)).toThrow(
      'header `orderRequestId` would contain a line break or NUL',
    );
  });

  it('strict templates leave bare tokens as text', () => {
    const step = sendStep({ requestBody: { payload: { note: 'for $inputs.id' } } });
    expect(buildMessage(step, context, true).payload).toEqual({ note: 'for $inputs.id' });
    expect(buildMessage(step, context, false).payload).toEqual({ note: 'for r-1' });
  });

  it('a step that is not a channel step is refused', () => {
    expect(() => buildMessage(sendStep({ message: undefined }), context, false)).toThrow(/not a channel step/);
  });
});
