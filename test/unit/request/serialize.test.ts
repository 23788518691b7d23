import { describe, expect, it } from 'vitest';
import {
  encodeRfc3986,
  serializeCookieParameter,
  serializeHeaderParameter,
  serializePathParameter,
  serializeQueryParameter,
} from '../../../src/arazzo/request/index.js';

const arr = [3, 4, 5];
const obj = { role: 'admin', firstName: 'Alex' };

// The OpenAPI 3.x "Style Examples" table.
describe('path parameters', () => {
  it.each([
    ['simple', false, 5, '5'],
    ['simple', false, arr, '3,4,5'],
    ['simple', true, arr, '3,4,5'],
    ['simple', false, obj, 'role,admin,firstName,Alex'],
    ['simple', true, obj, 'role=admin,firstName=Alex'],
    ['label', false, 5, '.5'],
    ['label', false, arr, '.3,4,5'],
    ['label', true, arr, '.3.4.5'],
    ['label', false, obj, '.role,admin,firstName,Alex'],
    ['label', true, obj, '.role=admin.firstName=Alex'],
    ['matrix', false, 5, ';id=5'],
    ['matrix', false, arr, ';id=3,4,5'],
    ['matrix', true, arr, ';id=3;id=4;id=5'],
    ['matrix', false, obj, ';id=role,admin,firstName,Alex'],
    ['matrix', true, obj, ';role=admin;firstName=Alex'],
  ] as const)('%s explode=%s %j', (style, explode, value, expected) => {
    expect(serializePathParameter('id', value, style, explode)).toBe(expected);
  });
  it('percent-encodes reserved characters in values', () => {
    expect(serializePathParameter('id', 'a/b c?#', 'simple')).toBe('a%2Fb%20c%3F%23');
    expect(serializePathParameter('id', "it's(*)!")).toBe('it%27s%28%2A%29%21');
    expect(serializePathParameter('id', 'ü')).toBe('%C3%BC');
  });
});

describe('query parameters', () => {
  it.each([
    ['form', true, 5, ['id=5']],
    ['form', true, arr, ['id=3', 'id=4', 'id=5']],
    ['form', false, arr, ['id=3,4,5']],
    ['form', true, obj, ['role=admin', 'firstName=Alex']],
    ['form', false, obj, ['id=role,admin,firstName,Alex']],
    ['spaceDelimited', false, arr, ['id=3%204%205']],
    ['pipeDelimited', false, arr, ['id=3%7C4%7C5']],
    ['deepObject', true, obj, ['id%5Brole%5D=admin', 'id%5BfirstName%5D=Alex']],
  ] as const)('%s explode=%s %j', (style, explode, value, expected) => {
    expect(serializeQueryParameter('id', value, style, explode)).toEqual(expected);
  });
  it('defaults to form/explode and encodes values', () => {
    expect(serializeQueryParameter('q', 'a b&c=d')).toEqual(['q=a%20b%26c%3Dd']);
    expect(serializeQueryParameter('q', null)).toEqual(['q=']);
    expect(serializeQueryParameter('q', true)).toEqual(['q=true']);
  });
  it('allowReserved keeps reserved characters', () => {
    expect(serializeQueryParameter('u', 'https://x/y?z=1 2', 'form', true, true)).toEqual(['u=https://x/y?z=1%202']);
  });
});

describe('header and cookie parameters', () => {
  it('header simple', () => {
    expect(serializeHeaderParameter(5)).toBe('5');
    expect(serializeHeaderParameter(arr)).toBe('3,4,5');
    expect(serializeHeaderParameter(obj)).toBe('role,admin,firstName,Alex');
    expect(serializeHeaderParameter(obj, true)).toBe('role=admin,firstName=Alex');
  });
  it('cookie form', () => {
    expect(serializeCookieParameter('id', 5)).toEqual(['id=5']);
    expect(serializeCookieParameter('id', arr, false)).toEqual(['id=3,4,5']);
    expect(serializeCookieParameter('id', arr, true)).toEqual(['id=3', 'id=4', 'id=5']);
    expect(serializeCookieParameter('id', obj, true)).toEqual(['role=admin', 'firstName=Alex']);
    expect(serializeCookieParameter('s', 'a b;c')).toEqual(['s=a%20b%3Bc']);
  });
  it('encodeRfc3986 leaves only unreserved characters', () => {
    expect(encodeRfc3986("AZaz09-._~!*'()")).toBe('AZaz09-._~%21%2A%27%28%29');
  });
});
