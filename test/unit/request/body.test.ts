import { describe, expect, it } from 'vitest';
import type { ExpressionContext } from '../../../src/arazzo/expressions/index.js';
import { RequestBuildError, buildBody, multipartBoundary } from '../../../src/arazzo/request/index.js';

const context: ExpressionContext = {
  inputs: {
    pet_id: 7,
    coupon_code: 'SAVE <10> & "more"',
    quantity: 2,
    clientId: 'cid',
    scope: 'a b',
    order: { petId: 1, tags: ['x'] },
  },
  steps: { 'browser-authorize': { outputs: { code: 'c0de' } } },
};

function thrown(fn: () => unknown): RequestBuildError {
  try {
    fn();
  } catch (e) {
    if (e instanceof RequestBuildError) return e;
    throw e;
  }
  throw new Error('expected a RequestBuildError');
}

describe('buildBody', () => {
  it('JSON object payload with expressions', () => {
    const b = buildBody(
      {
        contentType: 'application/json',
        payload: { petOrder: { petId: '$inputs.pet_id', status: 'placed', complete: false } },
      },
      context,
    );
    expect(b).toEqual({
      contentType: 'application/json',
      body: '{"petOrder":{"petId":7,"status":"placed","complete":false}}',
      bodyValue: { petOrder: { petId: 7, status: 'placed', complete: false } },
    });
  });

  it('JSON templated string (the spec example) keeps types of "{$...}" values', () => {
    const payload =
      '{\n  "petOrder": {\n    "petId": "{$inputs.pet_id}",\n    "couponCode": "{$inputs.coupon_code}",\n    "quantity": "{$inputs.quantity}",\n    "status": "placed"\n  }\n}';
    const b = buildBody({ contentType: 'application/json', payload }, context)!;
    expect(b.bodyValue).toEqual({
      petOrder: { petId: 7, couponCode: 'SAVE <10> & "more"', quantity: 2, status: 'placed' },
    });
    expect(JSON.parse(b.body)).toEqual(b.bodyValue);
  });

  it('non-JSON text templates with a JSON content type are sent as rendered', () => {
    const b = buildBody({ contentType: 'application/json', payload: '{"q": {$inputs.quantity}}' }, context)!;
    expect(b.body).toBe('{"q": 2}');
  });

  it('whole-expression payload', () => {
    expect(buildBody({ contentType: 'application/json', payload: '$inputs.order' }, context)!.body).toBe(
      '{"petId":1,"tags":["x"]}',
    );
    expect(buildBody({ contentType: 'application/merge-patch+json', payload: { a: 1 } }, context)!.body).toBe(
      '{"a":1}',
    );
  });

  it('a payload resolving to nothing means no body', () => {
    expect(buildBody({ contentType: 'application/json', payload: '$inputs.nothing' }, context)).toBeUndefined();
    expect(buildBody({ contentType: 'application/json' }, context)).toBeUndefined();
  });

  it('form-urlencoded object and string payloads', () => {
    const b = buildBody(
      {
        contentType: 'application/x-www-form-urlencoded',
        payload: {
          client_id: '$inputs.clientId',
          code: '$steps.browser-authorize.outputs.code',
          scope: '$inputs.scope',
          missing: '$inputs.nope',
        },
      },
      context,
    )!;
    expect(b.body).toBe('client_id=cid&code=c0de&scope=a+b');
    const s = buildBody(
      {
        contentType: 'application/x-www-form-urlencoded',
        payload: 'client_id={$inputs.clientId}&code={$steps.browser-authorize.outputs.code}',
      },
      context,
    )!;
    expect(s.body).toBe('client_id=cid&code=c0de');
  });

  it('multipart/form-data with a deterministic, content-derived boundary', () => {
    const input = {
      contentType: 'multipart/form-data',
      payload: { id: '$inputs.pet_id', meta: { a: 1 }, tags: ['x', 'y'] },
    };
    const a = buildBody(input, context)!;
    const b = buildBody(input, context)!;
    expect(a.body).toBe(b.body);
    const boundary = a.contentType.split('boundary=')[1];
    expect(boundary).toMatch(/^arazzo-[0-9a-f]{16}$/);
    expect(a.body).toBe(
      `--${boundary}\r\nContent-Disposition: form-data; name="id"\r\n\r\n7\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="meta"\r\nContent-Type: application/json\r\n\r\n{"a":1}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="tags"\r\n\r\nx\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="tags"\r\n\r\ny\r\n` +
        `--${boundary}--\r\n`,
    );
    const other = buildBody({ ...input, payload: { id: 8 } }, context)!;
    expect(other.contentType).not.toBe(a.contentType);
    expect(multipartBoundary('x')).not.toBe(multipartBoundary('y'));
  });

  it('text/plain and XML templates (XML escapes spliced values)', () => {
    expect(buildBody({ contentType: 'text/plain', payload: 'qty {$inputs.quantity}' }, context)!.body).toBe('qty 2');
    expect(buildBody({ payload: 'hello' }, context)).toEqual({
      contentType: 'text/plain',
      body: 'hello',
      bodyValue: 'hello',
    });
    const xml = buildBody({ contentType: 'application/xml', payload: '<o><c>{$inputs.coupon_code}</c></o>' }, context)!;
    expect(xml.body).toBe('<o><c>SAVE &lt;10&gt; &amp; &quot;more&quot;</c></o>');
    expect(thrown(() => buildBody({ contentType: 'application/xml', payload: { a: 1 } }, context)).code).toBe(
      'unsupported-body',
    );
  });

  it('replacements: JSON Pointer targets, intermediate objects created, absent values skipped', () => {
    const payload = { petOrder: { status: 'placed' } };
    const b = buildBody(
      {
        contentType: 'application/json',
        payload,
        replacements: [
          { target: '/petOrder/petId', value: '$inputs.pet_id' },
          { target: '/deep/new/value', value: 10 },
          { target: '/petOrder/status', value: '$inputs.nothing' },
          { target: '/list', value: [] },
          { target: '/list/-', value: 'x' },
        ],
      },
      context,
    )!;
    expect(b.bodyValue).toEqual({
      petOrder: { status: 'placed', petId: 7 },
      deep: { new: { value: 10 } },
      list: ['x'],
    });
    expect(payload).toEqual({ petOrder: { status: 'placed' } }); // document value untouched
  });

  it('replacement errors are typed', () => {
    expect(
      thrown(() =>
        buildBody(
          {
            contentType: 'application/json',
            payload: {},
            replacements: [
              { target: '//petOrder', value: 1 },
              { target: 'petId', value: 1 },
            ],
          },
          context,
        ),
      ),
    ).toMatchObject({
      code: 'invalid-replacement',
    });
    expect(
      thrown(() =>
        buildBody(
          { contentType: 'application/json', payload: { a: [] }, replacements: [{ target: '/a/4', value: 1 }] },
          context,
        ),
      ).message,
    ).toContain('cannot write array index `4`');
    expect(
      thrown(() =>
        buildBody({ contentType: 'text/plain', payload: 'x', replacements: [{ target: '/a', value: 1 }] }, context),
      ).code,
    ).toBe('invalid-replacement');
  });

  it('payload syntax errors are typed and located', () => {
    const e = thrown(() =>
      buildBody({ contentType: 'application/json', payload: { a: { b: '$response.body.id' } } }, context),
    );
    expect(e.code).toBe('expression-syntax');
    expect(e.message).toContain('at /a/b');
    expect(e.offset).toBe(14);
  });
});
