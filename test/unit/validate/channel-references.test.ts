// channel-references: a channel step names an AsyncAPI operation or channel that exists, in the right field.
import { describe, expect, it } from 'vitest';
import { runSemanticRules, validateDocumentSet } from '../../../src/arazzo/validate/index.js';
import { checkChannelReferences } from '../../../src/arazzo/validate/rules/channel-references.js';
import { document, GOOD_RECEIVE, GOOD_SEND, loadWithAsyncApi } from '../document/message-step-support.js';

const findingsOf = async (steps: string, extraSources = '') =>
  runSemanticRules(await loadWithAsyncApi(document(steps, extraSources)), {}, [checkChannelReferences]).map((f) => ({
    code: f.code,
    pointer: f.pointer,
    message: f.message,
    hint: f.hint,
  }));

describe('channel-references', () => {
  it('a send and a receive on placeOrder (qualified), and a channelPath, are fine', async () => {
    const channelPath = `      - stepId: raw
        channelPath: '{$sourceDescriptions.orders.url}#/channels/confirm-order'
        action: receive
        timeout: 10
`;
    expect(await findingsOf(GOOD_SEND + GOOD_RECEIVE + channelPath)).toEqual([]);
  });

  it('a bare operationId resolves when one AsyncAPI source has it', async () => {
    expect(await findingsOf(GOOD_SEND.replace('$sourceDescriptions.orders.placeOrder', 'placeOrder'))).toEqual([]);
  });

  it('an unknown operation: did you mean', async () => {
    expect(await findingsOf(GOOD_SEND.replace('.placeOrder', '.placeOrdr'))).toEqual([
      {
        code: 'unknown-channel-operation',
        pointer: '/workflows/0/steps/0/operationId',
        message: 'AsyncAPI source "orders" has no operation "placeOrdr"',
        hint: 'did you mean "placeOrder"?',
      },
    ]);
  });

  it('an unknown channel: did you mean', async () => {
    const step = `      - stepId: raw
        channelPath: '{$sourceDescriptions.orders.url}#/channels/confirm-ordr'
        action: receive
        timeout: 10
`;
    expect(await findingsOf(step)).toEqual([
      {
        code: 'unknown-channel',
        pointer: '/workflows/0/steps/0/channelPath',
        message: 'AsyncAPI source "orders" has no channel "confirm-ordr"',
        hint: 'did you mean "confirm-order"?',
      },
    ]);
  });

  it('a channelPath that is not #/channels/<key>', async () => {
    const step = `      - stepId: raw
        channelPath: '{$sourceDescriptions.orders.url}#/operations/placeOrder'
        action: send
`;
    expect((await findingsOf(step)).map((f) => f.code)).toEqual(['invalid-channel-path']);
  });

  it('a channel step on an OpenAPI source', async () => {
    const pets = '  - name: pets\n    url: ./petstore.openapi.yaml\n    type: openapi\n';
    const step = GOOD_SEND.replace('$sourceDescriptions.orders.placeOrder', '$sourceDescriptions.pets.loginUser');
    expect(await findingsOf(step, pets)).toMatchObject([
      { code: 'source-not-asyncapi', message: 'source "pets" is an OpenAPI description, not an AsyncAPI description' },
    ]);
  });

  it('operationPath written with an AsyncAPI operation id: one finding, the schema noise folded in', async () => {
    const set = await loadWithAsyncApi(document(GOOD_SEND.replace('operationId:', 'operationPath:')));
    const findings = validateDocumentSet(set).filter((f) => f.severity === 'error');
    expect(findings.map((f) => [f.code, f.pointer, f.hint])).toEqual([
      [
        'channel-step-operation-path',
        '/workflows/0/steps/0/operationPath',
        'write operationId: $sourceDescriptions.orders.placeOrder',
      ],
    ]);
  });

  it('the operation is not checked by the OpenAPI rule (no "source-not-openapi")', async () => {
    const set = await loadWithAsyncApi(document(GOOD_SEND + GOOD_RECEIVE));
    expect(validateDocumentSet(set)).toEqual([]);
  });
});
