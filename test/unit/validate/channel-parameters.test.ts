// channel-parameters: a channel step's parameters are headers or address parameters, and the address can be built.
import { describe, expect, it } from 'vitest';
import { runSemanticRules } from '../../../src/arazzo/validate/index.js';
import { checkChannelParameters } from '../../../src/arazzo/validate/rules/channel-parameters.js';
import { document, GOOD_RECEIVE, GOOD_SEND, loadWithAsyncApi, PET_ASYNCAPI } from '../document/message-step-support.js';

const REGIONAL = PET_ASYNCAPI.replace('    address: place-order\n', '    address: orders.{region}\n').replace(
  '  place-order:\n    address: orders.{region}\n',
  '  place-order:\n    address: orders.{region}\n    parameters:\n      region: {}\n',
);

const findingsOf = async (steps: string, asyncapi?: string) =>
  runSemanticRules(await loadWithAsyncApi(document(steps), asyncapi), {}, [checkChannelParameters]).map((f) => [
    f.code,
    f.pointer,
    f.hint,
  ]);

describe('channel-parameters', () => {
  it('headers on a fixed address are fine', async () => {
    expect(await findingsOf(GOOD_SEND + GOOD_RECEIVE)).toEqual([]);
  });

  it('a query parameter has no place in a message', async () => {
    const step = GOOD_SEND.replace('in: header', 'in: query');
    expect(await findingsOf(step)).toEqual([
      [
        'channel-parameter-location',
        '/workflows/0/steps/0/parameters/0/in',
        'use `in: header` for a message header, `in: path` for a `{name}` of the channel address',
      ],
    ]);
  });

  it('an address parameter with no value, and a misnamed one', async () => {
    expect(REGIONAL).toContain('orders.{region}');
    expect(await findingsOf(GOOD_SEND, REGIONAL)).toEqual([
      [
        'missing-address-parameter',
        '/workflows/0/steps/0/parameters',
        "add { name: region, in: path, value: ... } to the step's parameters",
      ],
    ]);
    const misnamed = GOOD_SEND.replace(
      '          - { name: orderRequestId, in: header, value: $inputs.id }\n',
      '          - { name: orderRequestId, in: header, value: $inputs.id }\n          - { name: regoin, in: path, value: eu }\n',
    );
    expect(await findingsOf(misnamed, REGIONAL)).toEqual([
      ['missing-address-parameter', '/workflows/0/steps/0/parameters', 'rename parameter "regoin" to "region"'],
      ['unknown-address-parameter', '/workflows/0/steps/0/parameters/1/name', 'did you mean "region"?'],
    ]);
  });

  it('the address parameter given: fine', async () => {
    const given = GOOD_SEND.replace(
      '          - { name: orderRequestId, in: header, value: $inputs.id }\n',
      '          - { name: orderRequestId, in: header, value: $inputs.id }\n          - { name: region, in: path, value: eu }\n',
    );
    expect(await findingsOf(given, REGIONAL)).toEqual([]);
  });
});
