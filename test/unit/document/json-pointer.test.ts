// RFC 6901 token escaping, defined once (src/arazzo/document/json-pointer.ts) and shared by source
// maps, findings, created-resource pointers and the runtime-expression parser.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  escapePointerToken,
  joinPointer,
  parsePointer,
  toPointer,
  unescapePointerToken,
} from '../../../src/arazzo/document/json-pointer.js';
import { parseJsonPointer } from '../../../src/arazzo/expressions/index.js';
import { findCreatedResource } from '../../../src/arazzo/plan/created-resources.js';

const token = fc.string({ unit: fc.constantFrom('~', '/', '0', '1', 'a', '~0', '~1', '~01'), maxLength: 8 });

describe('JSON Pointer token escaping', () => {
  it('escapes ~ before /, and unescapes ~1 before ~0', () => {
    expect(escapePointerToken('a/b~c')).toBe('a~1b~0c');
    expect(escapePointerToken('~1')).toBe('~01');
    expect(escapePointerToken(3)).toBe('3');
    expect(unescapePointerToken('~01')).toBe('~1');
    expect(unescapePointerToken('a~1b~0c')).toBe('a/b~c');
  });

  it('round-trips any token, and any token list through toPointer / parsePointer / parseJsonPointer', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 5 }), (tokens) => {
        for (const t of tokens) expect(unescapePointerToken(escapePointerToken(t))).toBe(t);
        const pointer = toPointer(tokens);
        expect(parsePointer(pointer)).toEqual(tokens);
        expect(parseJsonPointer(pointer)).toEqual({ ok: true, tokens });
      }),
      { numRuns: 500 },
    );
  });

  it('joinPointer appends escaped tokens to a base', () => {
    expect(joinPointer('', 'paths', '/pets/{id}', 'get')).toBe('/paths/~1pets~1{id}/get');
    expect(joinPointer('/workflows/0', 'steps', 2)).toBe('/workflows/0/steps/2');
  });

  it('the strict parser still locates the first bad escape', () => {
    expect(parseJsonPointer('/a~0~1/b~2')).toMatchObject({ ok: false, error: { offset: 8 } });
    expect(parseJsonPointer('/~')).toMatchObject({ ok: false, error: { offset: 1 } });
  });

  it('created-resource pointers are escaped', () => {
    expect(findCreatedResource({ data: { id: 'x' }, 'a/b~key_token': 's' })).toEqual({
      ids: { '/data/id': 'x' },
      secrets: { '/a~1b~0key_token': 's' },
    });
  });
});
