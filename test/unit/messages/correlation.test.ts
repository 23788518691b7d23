// correlationValueOf: the value at an AsyncAPI correlationId location, as the runtime keys and matches by.
import { describe, expect, it } from 'vitest';
import { correlationValueOf, isCorrelationLocation } from '../../../src/arazzo/messages/index.js';

const message = {
  headers: { orderRequestId: 'r-1', 'X-Trace': 'abc', count: 3 },
  payload: { order: { id: 77, tags: ['a'] }, ok: true, nothing: null },
};

describe('correlationValueOf', () => {
  it.each([
    ['$message.header#/orderRequestId', 'r-1'],
    ['$message.header#/x-trace', 'abc'],
    ['$message.header#/count', '3'],
    ['$message.payload#/order/id', '77'],
    ['$message.payload#/ok', 'true'],
    ['$message.payload#/order/tags', '["a"]'],
    ['$message.payload#/order', '{"id":77,"tags":["a"]}'],
  ])('%s → %s', (location, expected) => {
    expect(correlationValueOf(location, message)).toBe(expected);
  });

  it.each([
    '$message.header#/missing',
    '$message.payload#/order/missing',
    '$message.payload#/nothing',
    '$message.header#',
    '$message.body#/order/id',
    '$message.payload#order',
    'orderRequestId',
  ])('%s → undefined', (location) => {
    expect(correlationValueOf(location, message)).toBeUndefined();
  });

  it('a message without payload or headers has no value', () => {
    expect(correlationValueOf('$message.payload#/a', { headers: {} })).toBeUndefined();
    expect(correlationValueOf('$message.header#/a', { headers: {} })).toBeUndefined();
  });

  it('isCorrelationLocation accepts only what it can read', () => {
    expect(isCorrelationLocation('$message.header#/orderRequestId')).toBe(true);
    expect(isCorrelationLocation('$message.payload#/a/b')).toBe(true);
    expect(isCorrelationLocation('$message.payload#a')).toBe(false);
    expect(isCorrelationLocation('$response.body#/a')).toBe(false);
  });
});
