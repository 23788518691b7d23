// The plan of a workflow with channel steps: built (no longer refused), `message` filled per
// plan/types.ts, no `operation`/`workflowId`, and small (names and locations, never schemas).
import { describe, expect, it } from 'vitest';
import { buildPlan, PlanError } from '../../../src/arazzo/plan/build-plan.js';
import { document, GOOD_RECEIVE, GOOD_SEND, loadWithAsyncApi, PET_ASYNCAPI } from '../document/message-step-support.js';

describe('plan: channel steps', () => {
  it('a send on placeOrder goes to place-order; a receive on it listens on its reply channel', async () => {
    const plan = buildPlan(await loadWithAsyncApi(document(GOOD_SEND + GOOD_RECEIVE)));
    const [send, receive] = plan.workflows.w.steps;
    const server = { name: 'localKafka', protocol: 'kafka', host: 'localhost:9092' };
    expect(send.message).toEqual({
      action: 'send',
      channel: {
        sourceName: 'orders',
        operationId: 'placeOrder',
        channelKey: 'place-order',
        address: 'place-order',
        server,
        message: {
          name: 'placeOrder.message',
          contentType: 'application/json',
          correlationIdLocation: '$message.header#/orderRequestId',
        },
      },
    });
    expect(receive.message).toEqual({
      action: 'receive',
      channel: {
        sourceName: 'orders',
        operationId: 'placeOrder',
        channelKey: 'confirm-order',
        address: 'confirm-order',
        server,
        message: {
          name: 'confirmOrder.message',
          contentType: 'application/json',
          correlationIdLocation: '$message.header#/orderRequestId',
        },
      },
      correlationId: '$inputs.id',
    });
    expect(receive.timeoutMs).toBe(5000);
    for (const step of [send, receive]) {
      expect(step.operation).toBeUndefined();
      expect(step.workflowId).toBeUndefined();
      expect(step.approval).toBe('none');
    }
    expect(send.parameters).toEqual([{ name: 'orderRequestId', in: 'header', value: '$inputs.id' }]);
    // No message schema enters the plan (the workflow's own inputs schema is there, as before).
    const steps = JSON.stringify(plan.workflows.w.steps);
    expect(steps).not.toContain('"required"');
    expect(steps).not.toContain('"properties"');
  });

  it('a channelPath step names no operation; a channel without address uses its key; the channel server wins', async () => {
    const asyncapi = PET_ASYNCAPI.replace(
      'servers:\n',
      'servers:\n  first:\n    host: first:9092\n    protocol: kafka\n',
    ).replace(
      '  confirm-order:\n    address: confirm-order\n',
      '  confirm-order:\n    servers:\n      - $ref: "#/servers/localKafka"\n',
    );
    const step = `      - stepId: raw
        channelPath: '{$sourceDescriptions.orders.url}#/channels/confirm-order'
        action: receive
        timeout: 10
`;
    const plan = buildPlan(await loadWithAsyncApi(document(step), asyncapi));
    expect(plan.workflows.w.steps[0].message?.channel).toMatchObject({
      channelKey: 'confirm-order',
      address: 'confirm-order',
      server: { name: 'localKafka', host: 'localhost:9092' },
      message: { name: 'confirmOrder.message' },
    });
    expect(plan.workflows.w.steps[0].message?.channel.operationId).toBeUndefined();
  });

  it('an unresolvable channel step is a PlanError with its pointer (never a broken plan)', async () => {
    const set = await loadWithAsyncApi(document(GOOD_SEND.replace('.placeOrder', '.nothing')));
    expect(() => buildPlan(set)).toThrow(PlanError);
    try {
      buildPlan(set);
    } catch (error) {
      expect((error as PlanError).pointer).toBe('/workflows/0/steps/0');
      expect((error as PlanError).message).toBe('AsyncAPI source "orders" has no operation "nothing"');
    }
  });
});

describe('referenced context of a channel step', () => {
  it("a receive step's correlationId counts as what the step reads", async () => {
    const { referencedContext, stepExpressionText } = await import('../../../src/arazzo/plan/referenced-context.js');
    const plan = buildPlan(
      await loadWithAsyncApi(
        document(GOOD_RECEIVE.replace('correlationId: $inputs.id', 'correlationId: $inputs.petId')),
      ),
    );
    const receive = plan.workflows.w.steps[0];
    const picked = referencedContext(stepExpressionText(receive), { inputs: { id: 'a', petId: 7 }, steps: {} });
    expect(picked.inputs).toEqual({ petId: 7 });
  });
});
