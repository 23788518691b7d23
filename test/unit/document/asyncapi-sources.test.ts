// AsyncAPI source descriptions: read with the official parser into the plain index the core uses;
// 2.x, unparseable descriptions and a loader without a parser are findings, never throws.
import { describe, expect, it } from 'vitest';
import { type LoadedAsyncApiSource, loadDocumentSet } from '../../../src/arazzo/document/index.js';
import { FIXTURES, readerWith } from './fixture-reader.js';
import { document, GOOD_SEND, loadWithAsyncApi } from './message-step-support.js';

describe('AsyncAPI 3 sources', () => {
  it('the spec pet file becomes an index of servers, channels, operations and messages', async () => {
    const set = await loadWithAsyncApi(document(GOOD_SEND));
    expect(set.findings).toEqual([]);
    const source = set.sources.orders as LoadedAsyncApiSource;
    expect(source.type).toBe('asyncapi');
    expect(source.index.servers).toEqual([{ name: 'localKafka', protocol: 'kafka', host: 'localhost:9092' }]);
    expect(source.index.operations.placeOrder).toEqual({
      id: 'placeOrder',
      action: 'receive',
      channel: 'place-order',
      messages: ['placeOrder.message'],
      reply: { channel: 'confirm-order', messages: ['confirmOrder.message'] },
    });
    expect(source.index.channels['confirm-order']).toMatchObject({
      key: 'confirm-order',
      address: 'confirm-order',
      parameters: [],
      servers: ['localKafka'],
    });
    expect(source.index.channels['place-order'].messages['placeOrder.message']).toEqual({
      name: 'placeOrder.message',
      contentType: 'application/json',
      correlationIdLocation: '$message.header#/orderRequestId',
      headers: {
        type: 'object',
        required: ['orderRequestId'],
        properties: { orderRequestId: { type: 'string', description: 'Unique ID for tracking the order flow' } },
      },
      payload: { type: 'object', required: ['petId'], properties: { petId: { type: 'integer' } } },
    });
    // Plain JSON: what the index holds survives a round trip unchanged.
    expect(JSON.parse(JSON.stringify(source.index))).toEqual(source.index);
  });

  it('an AsyncAPI 2.x description is one clear finding', async () => {
    const set = await loadWithAsyncApi(
      document(GOOD_SEND),
      'asyncapi: 2.6.0\ninfo: { title: x, version: "1" }\nchannels: {}\n',
    );
    expect(set.findings.map((f) => [f.code, f.message, f.pointer])).toEqual([
      [
        'unsupported-asyncapi-version',
        'source description "./orders.asyncapi.yaml" is AsyncAPI 2.6.0; only AsyncAPI 3.x is supported',
        '/sourceDescriptions/0/url',
      ],
    ]);
  });

  it("the parser's errors become findings in the AsyncAPI file, with line and pointer", async () => {
    const broken = `asyncapi: 3.0.0
info: { title: x, version: "1" }
operations:
  send:
    action: send
    channel:
      $ref: '#/channels/nope'
`;
    const set = await loadWithAsyncApi(document(GOOD_SEND), broken);
    const inFile = set.findings.filter((f) => f.file === `${FIXTURES}orders.asyncapi.yaml`);
    expect(inFile.length).toBeGreaterThan(0);
    expect(inFile[0]).toMatchObject({
      severity: 'error',
      code: 'asyncapi-invalid',
      pointer: '/operations/send/channel/$ref',
      line: 7,
    });
    expect(inFile[0].message).toContain("'#/channels/nope' does not exist");
    expect(set.findings.some((f) => f.code === 'asyncapi-unusable')).toBe(true);
  });

  it('a loader given no AsyncAPI parser says so instead of guessing', async () => {
    const url = `${FIXTURES}inline.arazzo.yaml`;
    const set = await loadDocumentSet(url, {
      read: readerWith({ [url]: document(GOOD_SEND), [`${FIXTURES}orders.asyncapi.yaml`]: 'asyncapi: 3.0.0\n' }),
    });
    expect(set.findings.map((f) => f.code)).toEqual(['asyncapi-parser-unavailable']);
  });

  it('a source without `type` is recognised as AsyncAPI by its `asyncapi` field', async () => {
    const set = await loadWithAsyncApi(document(GOOD_SEND).replace('    type: asyncapi\n', ''));
    expect(set.sources.orders.type).toBe('asyncapi');
  });
});
