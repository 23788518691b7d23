import { describe, expect, it } from 'vitest';
import { locate, parseDocumentText } from '../../../src/arazzo/document/index.js';

describe('parseDocumentText', () => {
  it('maps every node of a YAML document to its 1-based line and column', () => {
    const text = ['arazzo: 1.0.1', 'workflows:', '  - workflowId: w', '    steps:', '      - stepId: "a/b~c"', ''].join(
      '\n',
    );
    const { value, sourceMap, findings } = parseDocumentText(text, 'doc.yaml');
    expect(findings).toEqual([]);
    expect(value).toEqual({ arazzo: '1.0.1', workflows: [{ workflowId: 'w', steps: [{ stepId: 'a/b~c' }] }] });
    expect(sourceMap.values['']).toEqual({ line: 1, column: 1 });
    expect(sourceMap.values['/arazzo']).toEqual({ line: 1, column: 9 });
    expect(sourceMap.values['/workflows/0']).toEqual({ line: 3, column: 5 });
    expect(sourceMap.values['/workflows/0/workflowId']).toEqual({ line: 3, column: 17 });
    expect(sourceMap.values['/workflows/0/steps/0/stepId']).toEqual({ line: 5, column: 17 });
    expect(sourceMap.keys['/workflows/0/steps']).toEqual({ line: 4, column: 5 });
  });

  it('escapes keys containing / and ~ in pointers (RFC 6901)', () => {
    const { sourceMap } = parseDocumentText('paths:\n  /pets/{id}:\n    get: {}\n  a~b: 1\n', 'x.yaml');
    expect(sourceMap.values['/paths/~1pets~1{id}/get']).toEqual({ line: 3, column: 10 });
    expect(sourceMap.values['/paths/a~0b']).toEqual({ line: 4, column: 8 });
  });

  it('locates collections at their key and missing pointers at their nearest ancestor', () => {
    const { sourceMap } = parseDocumentText('a:\n  b:\n    - 1\n    - 2\n', 'x.yaml');
    expect(locate(sourceMap, '/a/b')).toEqual({ file: 'x.yaml', line: 2, column: 3 });
    expect(locate(sourceMap, '/a/b/1')).toEqual({ file: 'x.yaml', line: 4, column: 7 });
    expect(locate(sourceMap, '/a/b/7/c')).toEqual({ file: 'x.yaml', line: 2, column: 3 });
  });

  it('parses JSON with positions, numeric keys as strings', () => {
    const { value, sourceMap } = parseDocumentText(
      '{\n  "responses": {\n    "200": { "description": "ok" }\n  }\n}',
      'x.json',
    );
    expect(value).toEqual({ responses: { '200': { description: 'ok' } } });
    expect(sourceMap.values['/responses/200/description']).toEqual({ line: 3, column: 29 });
  });

  it('follows aliases without looping', () => {
    const { value, sourceMap } = parseDocumentText('base: &b\n  x: 1\nother: *b\n', 'x.yaml');
    expect(value).toEqual({ base: { x: 1 }, other: { x: 1 } });
    expect(sourceMap.values['/other']).toEqual({ line: 2, column: 3 });
  });

  it('reports YAML syntax errors as findings with their position, and no value', () => {
    const result = parseDocumentText('arazzo: 1.0.1\ninfo:\n  title: Broken\n   version: 1.0.0\n', 'broken.yaml');
    expect(result.value).toBeUndefined();
    expect(result.findings.length).toBeGreaterThan(0);
    expect(result.findings[0]).toMatchObject({
      severity: 'error',
      code: 'yaml-syntax',
      message: 'Nested mappings are not allowed in compact mappings',
      file: 'broken.yaml',
      line: 3,
      column: 10,
      pointer: '',
    });
  });

  it('reports duplicate keys', () => {
    const result = parseDocumentText('a: 1\na: 2\n', 'dup.yaml');
    expect(result.findings).toMatchObject([
      { code: 'yaml-syntax', line: 2, column: 1, message: 'Map keys must be unique' },
    ]);
  });
});

describe('parseDocumentText with anchors and aliases', () => {
  it('locates an alias at the node its anchor names, including re-defined anchors', () => {
    const text = ['a: &shared', '  x: 1', 'b: *shared', 'c: &shared', '  y: 2', 'd: *shared', ''].join('\n');
    const parsed = parseDocumentText(text, 'anchors.yaml');
    expect(parsed.findings).toEqual([]);
    expect(parsed.value).toEqual({ a: { x: 1 }, b: { x: 1 }, c: { y: 2 }, d: { y: 2 } });
    // An alias is located where its (latest preceding) anchor's node is; its inside is not walked twice.
    expect(parsed.sourceMap.values['/b']).toEqual(parsed.sourceMap.values['/a']);
    expect(parsed.sourceMap.values['/d']).toEqual(parsed.sourceMap.values['/c']);
    expect(parsed.sourceMap.values['/d']).not.toEqual(parsed.sourceMap.values['/a']);
    expect(parsed.sourceMap.values['/c/y']).toEqual({ line: 5, column: 6 });
  });
});

describe('parseDocumentText refuses an alias bomb', () => {
  // Each level repeats the one before nine times: 9^6 ≈ 531,441 strings once expanded ("billion laughs").
  const bomb = [
    'a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]',
    ...['b', 'c', 'd', 'e', 'f'].map((k, i) => {
      const prev = 'abcde'[i];
      return `${k}: &${k} [${new Array(9).fill(`*${prev}`).join(', ')}]`;
    }),
    '',
  ].join('\n');

  it('as a finding (nothing thrown, no value), at the first alias', () => {
    const parsed = parseDocumentText(bomb, 'bomb.yaml');
    expect(parsed.value).toBeUndefined();
    expect(parsed.findings).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'yaml-alias-limit',
        file: 'bomb.yaml',
        line: 2,
        column: 8,
        message: expect.stringMatching(/more than 1000 aliases/),
      }),
    ]);
  });
});

describe('parseDocumentText on wide maps', () => {
  // The yaml library's own duplicate-key check compares each key with every earlier one: 40,000 keys
  // took over a minute. Ours is one set per map.
  it('parses a map of 40,000 keys in linear time, and still reports a duplicate among them', () => {
    const keys = Array.from({ length: 40_000 }, (_, i) => `  k${i}: v`);
    const started = Date.now();
    const parsed = parseDocumentText(`x:\n${keys.join('\n')}\n`, 'wide.yaml');
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(parsed.findings).toEqual([]);
    expect(Object.keys((parsed.value as { x: object }).x)).toHaveLength(40_000);
    const duplicated = parseDocumentText(`x:\n${keys.join('\n')}\n  k17: again\n`, 'wide.yaml');
    expect(duplicated.value).toBeUndefined();
    expect(duplicated.findings).toMatchObject([
      { severity: 'error', code: 'yaml-syntax', message: 'Map keys must be unique', line: 40_002, column: 3 },
    ]);
  }, 60_000);

  it('reports duplicates in nested and flow maps, and keys that read the same as text', () => {
    const parsed = parseDocumentText('a:\n  b: {c: 1, c: 2}\n  d: 1\n  d: 2\n', 'nested.yaml');
    expect(parsed.findings).toMatchObject([
      { code: 'yaml-syntax', message: 'Map keys must be unique', line: 2, column: 13 },
      { code: 'yaml-syntax', message: 'Map keys must be unique', line: 4, column: 3 },
    ]);
  });
});
