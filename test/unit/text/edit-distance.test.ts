// The one edit distance behind every "did you mean" hint (src/arazzo/text/edit-distance.ts).
import { describe, expect, it } from 'vitest';
import { closest } from '../../../src/arazzo/expressions/hints.js';
import { editDistance } from '../../../src/arazzo/text/edit-distance.js';
import { closestName } from '../../../src/arazzo/validate/did-you-mean.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['flaw', 'lawn', 2],
    ['statusCode', 'statusCode', 0],
    ['Par', 'par', 1],
    ['ab', 'ba', 2],
  ])('%j → %j is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });

  it('drives both hint functions', () => {
    expect(closest('$stpes', ['$steps', '$inputs'])).toBe('$steps');
    expect(closestName('createConection', ['createConnection', 'deleteConnection'])).toBe('createConnection');
  });
});
