// The semantic rules of what Arazzo 1.1 adds (rules/arazzo-1-1.ts), on documents beside the pets fixture.
import { describe, expect, it } from 'vitest';
import { validateDocumentSet } from '../../../src/arazzo/validate/index.js';
import { loadInline } from '../document/fixture-reader.js';

const document = (steps: string, head = '') => `arazzo: 1.1.0
${head}info:
  title: rules of 1.1
  version: 1.0.0
sourceDescriptions:
  - name: pets
    url: ./pets.openapi.yaml
workflows:
  - workflowId: w
    steps:
${steps}`;

const findings = async (text: string) =>
  validateDocumentSet(await loadInline(text)).map((f) => [f.severity, f.code, f.pointer, f.message]);

describe('Arazzo 1.1 rules', () => {
  it('a selector context must be a runtime expression, a selector well-formed for its type', async () => {
    const steps = `      - stepId: list
        operationId: listPets
        outputs:
          whole:
            context: $steps.list.outputs
            selector: /0
            type: jsonpointer
          bad:
            context: $response.body
            selector: name
            type: jsonpointer
          path:
            context: $response.body
            selector: $[?@.a ==]
            type: jsonpath
`;
    const result = await findings(document(steps));
    expect(result.map(([severity, code, pointer]) => [severity, code, pointer])).toEqual([
      ['error', 'selector-object', '/workflows/0/steps/0/outputs/whole/context'],
      ['error', 'selector-object', '/workflows/0/steps/0/outputs/bad/selector'],
      ['error', 'selector-object', '/workflows/0/steps/0/outputs/path/selector'],
    ]);
    expect(result[1][3]).toBe('selector "name" is not a JSON Pointer: a JSON Pointer must be empty or start with `/`');
  });

  it('querystring and query parameters cannot be sent together', async () => {
    const steps = `      - stepId: list
        operationId: listPets
        parameters:
          - name: limit
            in: query
            value: 3
          - name: q
            in: querystring
            value: limit=3
`;
    expect(await findings(document(steps))).toContainEqual([
      'error',
      'querystring-with-query',
      '/workflows/0/steps/0/parameters/1/in',
      'a `querystring` parameter is the whole query string; it cannot be sent with `query` parameters',
    ]);
  });

  it('$self needs a $self field; with one, no finding', async () => {
    const steps = `      - stepId: list
        operationId: listPets
        parameters:
          - name: limit
            in: query
            value: $self
`;
    expect((await findings(document(steps))).map(([, code]) => code)).toContain('self-without-self');
    expect(
      (await findings(document(steps, '$self: https://arazzo.example.test/w.arazzo.yaml\n'))).map(([, code]) => code),
    ).not.toContain('self-without-self');
  });

  it('a 1.0 document with the same object in an output is a literal: no selector rule applies', async () => {
    const steps = `      - stepId: list
        operationId: listPets
        outputs:
          whole: $response.body
`;
    expect(await findings(document(steps).replace('arazzo: 1.1.0', 'arazzo: 1.0.1'))).toEqual([]);
  });

  it('step dependsOn: an earlier step of the workflow; not itself, a later one or an unknown one', async () => {
    const steps = `      - stepId: a
        operationId: listPets
        dependsOn: [b]
      - stepId: b
        operationId: listPets
        dependsOn: [a, b, nope]
`;
    const result = (await findings(document(steps))).filter(([, code]) => String(code).includes('dependency'));
    expect(result.map(([severity, code, pointer]) => [severity, code, pointer])).toEqual([
      ['error', 'step-dependency-order', '/workflows/0/steps/0/dependsOn/0'],
      ['error', 'step-dependency-order', '/workflows/0/steps/1/dependsOn/1'],
      ['error', 'unknown-step-dependency', '/workflows/0/steps/1/dependsOn/2'],
    ]);
  });
});
