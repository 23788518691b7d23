import { describe, expect, it } from 'vitest';
import { formatRuntimeExpression, parseRuntimeExpression } from '../../../src/arazzo/expressions/index.js';

function ok(text: string) {
  const r = parseRuntimeExpression(text);
  if (!r.ok) throw new Error(`expected ${text} to parse: ${r.error.message}`);
  return r.value;
}
function bad(text: string) {
  const r = parseRuntimeExpression(text);
  if (r.ok) throw new Error(`expected ${text} to fail`);
  return r.error;
}

describe('parseRuntimeExpression: the 1.0.1 grammar', () => {
  it.each([
    ['$url', { kind: 'url' }],
    ['$method', { kind: 'method' }],
    ['$statusCode', { kind: 'statusCode' }],
    ['$request.header.accept', { kind: 'request', source: 'header', name: 'accept' }],
    ['$request.header.X-Rate_Limit.v2', { kind: 'request', source: 'header', name: 'X-Rate_Limit.v2' }],
    ['$request.query.page size', undefined],
    ['$request.path.id', { kind: 'request', source: 'path', name: 'id' }],
    ['$request.body', { kind: 'request', source: 'body' }],
    ['$request.body#/user/uuid', { kind: 'request', source: 'body', pointer: '/user/uuid' }],
    ['$response.body', { kind: 'response', source: 'body' }],
    ['$response.body#', { kind: 'response', source: 'body', pointer: '' }],
    ['$response.body#/data/0/id', { kind: 'response', source: 'body', pointer: '/data/0/id' }],
    ['$response.body#/a~1b/c~0d', { kind: 'response', source: 'body', pointer: '/a~1b/c~0d' }],
    ['$response.header.Server', { kind: 'response', source: 'header', name: 'Server' }],
    ['$inputs.username', { kind: 'inputs', name: 'username' }],
    ['$inputs.x-api-key', { kind: 'inputs', name: 'x-api-key' }],
    ['$inputs.user#/address/city', { kind: 'inputs', name: 'user', pointer: '/address/city' }],
    ['$outputs.bar', { kind: 'outputs', name: 'bar' }],
    ['$steps.someStepId.outputs.pets', { kind: 'steps', stepId: 'someStepId', field: 'outputs', name: 'pets' }],
    [
      '$steps.some-step_1.outputs.pets#/0/id',
      { kind: 'steps', stepId: 'some-step_1', field: 'outputs', name: 'pets', pointer: '/0/id' },
    ],
    ['$workflows.foo.outputs.bar', { kind: 'workflows', workflowId: 'foo', field: 'outputs', name: 'bar' }],
    ['$workflows.foo.inputs.username', { kind: 'workflows', workflowId: 'foo', field: 'inputs', name: 'username' }],
    [
      '$workflows.foo.outputs.mapped#/name',
      { kind: 'workflows', workflowId: 'foo', field: 'outputs', name: 'mapped', pointer: '/name' },
    ],
    [
      '$sourceDescriptions.petstore.getPetById',
      { kind: 'sourceDescriptions', name: 'petstore', reference: 'getPetById' },
    ],
    ['$components.parameters.foo', { kind: 'components', componentKind: 'parameters', name: 'foo' }],
    ['$components.successActions.done.v1', { kind: 'components', componentKind: 'successActions', name: 'done.v1' }],
  ])('%s', (text, expected) => {
    if (expected === undefined) {
      expect(parseRuntimeExpression(text).ok).toBe(false);
      return;
    }
    expect(ok(text)).toEqual(expected);
    // canonical formatting round-trips
    expect(formatRuntimeExpression(ok(text))).toBe(text);
  });
});

describe('parseRuntimeExpression: located errors with hints', () => {
  it('suggests a JSON Pointer for dotted body access', () => {
    const e = bad('$response.body.data.id');
    expect(e.offset).toBe(14);
    expect(e.hint).toBe('did you mean `$response.body#/data/id`?');
  });
  it('suggests `#` for a slash after body', () => {
    expect(bad('$response.body/id').hint).toBe('did you mean `$response.body#/id`?');
  });
  it('pointer must start with /', () => {
    const e = bad('$response.body#id');
    expect(e.message).toBe('a JSON Pointer must be empty or start with `/`');
    expect(e.offset).toBe(15);
    expect(e.hint).toBe('did you mean `$response.body#/id`?');
  });
  it('rejects a bad ~ escape at its offset', () => {
    const e = bad('$response.body#/a~2');
    expect(e.offset).toBe(17);
    expect(e.message).toContain('`~`');
  });
  it('unknown root with a case-insensitive suggestion', () => {
    const e = bad('$statuscode');
    expect(e).toMatchObject({
      message: 'unknown runtime expression `$statuscode`',
      offset: 0,
      hint: 'did you mean `$statusCode`?',
    });
  });
  it('misspelt root', () => {
    expect(bad('$input.x').hint).toBe('did you mean `$inputs`?');
    expect(bad('$stpes.a.outputs.b').hint).toBe('did you mean `$steps`?');
  });
  it('missing name', () => {
    expect(bad('$inputs')).toMatchObject({
      message: '`$inputs` is incomplete: expected `.` and an input name',
      offset: 7,
    });
    expect(bad('$inputs.')).toMatchObject({ message: 'expected an input name after `$inputs.`', offset: 8 });
  });
  it('step field must be outputs', () => {
    expect(bad('$steps.a.output.x')).toMatchObject({ offset: 9, hint: 'did you mean `$steps.a.outputs`?' });
    expect(bad('$steps.a')).toMatchObject({ offset: 8, hint: 'write `$steps.a.outputs.<name>`' });
  });
  it('step id must be an identifier', () => {
    expect(bad('$steps.!x.outputs.y')).toMatchObject({ offset: 7 });
  });
  it('workflow field', () => {
    expect(bad('$workflows.w.output.x')).toMatchObject({ offset: 13, hint: 'did you mean `$workflows.w.outputs`?' });
  });
  it('request/response sources', () => {
    expect(bad('$request.headers.x')).toMatchObject({ offset: 9, hint: 'did you mean `$request.header`?' });
    expect(bad('$response.query.x')).toMatchObject({ offset: 10, hint: 'did you mean `$request.query`?' });
    expect(bad('$response.header.a b').message).toBe('` ` is not allowed in a header name');
  });
  it('component kinds', () => {
    expect(bad('$components.parameter.x')).toMatchObject({
      offset: 12,
      hint: 'did you mean `$components.parameters`?',
    });
  });
  it('trailing text, e.g. a condition passed as an expression', () => {
    const e = bad('$statusCode == 200');
    expect(e.offset).toBe(11);
    expect(e.hint).toContain('condition');
  });
  it('whitespace inside a name', () => {
    const e = bad('$inputs.api token');
    expect(e.offset).toBe(11);
  });
  it('text that does not start with $', () => {
    expect(bad('inputs.x')).toMatchObject({ offset: 0, hint: 'did you mean `$inputs.x`?' });
    expect(bad('{$inputs.x}').hint).toContain('`$inputs.x`');
    expect(bad('  $inputs.x')).toMatchObject({ offset: 2, message: 'unexpected whitespace before the expression' });
    expect(bad('')).toMatchObject({ offset: 0 });
  });
  it('refuses very long input', () => {
    expect(bad('$inputs.' + 'a'.repeat(5000)).message).toContain('limit');
  });
  it('errors carry the expression-syntax code', () => {
    expect(bad('$nope').code).toBe('expression-syntax');
  });
});
