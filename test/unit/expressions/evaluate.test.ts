import { describe, expect, it } from 'vitest';
import {
  type ExpressionContext,
  evaluateExpression,
  getByPointer,
  parseJsonPointer,
  parseRuntimeExpression,
  setByPointer,
} from '../../../src/arazzo/expressions/index.js';

const context: ExpressionContext = {
  url: 'https://api.example.com/pets?x=1',
  method: 'POST',
  statusCode: 201,
  request: {
    headers: { Accept: 'application/json' },
    query: { page: '2' },
    path: { id: '7' },
    body: { user: { uuid: 'u-1' } },
  },
  response: {
    headers: { 'Content-Type': 'application/json', 'X-Expires-After': '2030' },
    body: { id: 42, data: [{ id: 'a' }, { id: 'b' }], 'a/b': { 'c~d': true }, nil: null },
  },
  inputs: { username: 'ann', n: 3, user: { address: { city: 'Oslo' } }, list: [1, 2] },
  outputs: { bar: 'baz' },
  steps: { login: { outputs: { token: 'tok', pets: [{ id: 9 }] } } },
  workflows: { foo: { inputs: { username: 'bob' }, outputs: { mapped: { name: 'm' } } } },
  sourceDescriptions: { petstore: { getPetById: { operationId: 'getPetById' } } },
  components: { parameters: { page: { name: 'page', in: 'query', value: 1 } } },
};

const ev = (text: string) => {
  const r = parseRuntimeExpression(text);
  if (!r.ok) throw new Error(r.error.message);
  return evaluateExpression(r.value, context);
};

describe('evaluateExpression', () => {
  it.each([
    ['$url', 'https://api.example.com/pets?x=1'],
    ['$method', 'POST'],
    ['$statusCode', 201],
    ['$request.header.accept', 'application/json'],
    ['$request.query.page', '2'],
    ['$request.path.id', '7'],
    ['$request.body#/user/uuid', 'u-1'],
    ['$response.header.content-type', 'application/json'],
    ['$response.header.X-EXPIRES-AFTER', '2030'],
    ['$response.body#/id', 42],
    ['$response.body#/data/1/id', 'b'],
    ['$response.body#/a~1b/c~0d', true],
    ['$response.body#/nil', null],
    ['$inputs.n', 3],
    ['$inputs.user#/address/city', 'Oslo'],
    ['$outputs.bar', 'baz'],
    ['$steps.login.outputs.token', 'tok'],
    ['$steps.login.outputs.pets#/0/id', 9],
    ['$workflows.foo.inputs.username', 'bob'],
    ['$workflows.foo.outputs.mapped#/name', 'm'],
    ['$sourceDescriptions.petstore.getPetById', { operationId: 'getPetById' }],
    ['$components.parameters.page#/value', 1],
  ])('%s', (text, expected) => {
    expect(ev(text)).toEqual(expected);
  });

  it('keeps the referenced type', () => {
    expect(ev('$inputs.list')).toEqual([1, 2]);
    expect(ev('$response.body#/data')).toEqual([{ id: 'a' }, { id: 'b' }]);
  });

  it('missing values are undefined, never a throw', () => {
    for (const t of [
      '$inputs.nope',
      '$steps.nope.outputs.x',
      '$steps.login.outputs.nope',
      '$response.body#/data/5/id',
      '$response.body#/data/-',
      '$response.body#/data/01',
      '$response.body#/id/deeper',
      '$response.header.nope',
      '$workflows.nope.outputs.x',
      '$components.parameters.nope',
    ]) {
      expect(ev(t), t).toBeUndefined();
    }
    expect(evaluateExpression({ kind: 'url' }, { inputs: {}, steps: {} })).toBeUndefined();
    expect(
      evaluateExpression({ kind: 'response', source: 'body', pointer: '/x' }, { inputs: {}, steps: {} }),
    ).toBeUndefined();
  });

  it('cannot reach prototypes or anything outside the context', () => {
    for (const t of [
      '$inputs.constructor',
      '$inputs.__proto__',
      '$inputs.toString',
      '$response.body#/constructor',
      '$inputs.user#/__proto__',
    ]) {
      expect(ev(t), t).toBeUndefined();
    }
  });
});

describe('JSON Pointer', () => {
  it('parses with escapes', () => {
    expect(parseJsonPointer('/a~1b/c~0d/')).toEqual({ ok: true, tokens: ['a/b', 'c~d', ''] });
    expect(parseJsonPointer('')).toEqual({ ok: true, tokens: [] });
  });
  it('rejects bad pointers with offsets', () => {
    expect(parseJsonPointer('a')).toMatchObject({ ok: false, error: { offset: 0, hint: 'did you mean `/a`?' } });
    expect(parseJsonPointer('/a~')).toMatchObject({ ok: false, error: { offset: 2 } });
  });
  it('reads own properties and array indices only', () => {
    expect(getByPointer({ a: [10, 20] }, ['a', '1'])).toBe(20);
    expect(getByPointer({ a: [10, 20] }, ['a', 'length'])).toBeUndefined();
    expect(getByPointer('str', ['length'])).toBeUndefined();
  });
  it('writes, creating intermediate objects', () => {
    expect(setByPointer({}, ['a', 'b', 'c'], 1)).toEqual({ a: { b: { c: 1 } } });
    expect(setByPointer({ a: [1] }, ['a', '-'], 2)).toEqual({ a: [1, 2] });
    expect(setByPointer({ a: [1] }, ['a', '0'], 5)).toEqual({ a: [5] });
    expect(setByPointer({ a: 1 }, [], 'root')).toBe('root');
    expect(() => setByPointer({ a: [] }, ['a', '3'], 1)).toThrow('cannot write array index `3` (array has 0 items)');
    expect(() => setByPointer({}, ['__proto__', 'x'], 1)).toThrow('refusing to write `__proto__`');
  });
});
