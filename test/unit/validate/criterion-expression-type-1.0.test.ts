// Defect: the official Arazzo 1.0 schema refuses the 1.0.1 text's own Criterion Expression Type
// Object (`type: {type: xpath, version: xpath-30}`), the spec repository's issue #336. Our copy of
// the schema is corrected (src/arazzo/schema/README.md); these documents must validate clean.
import { describe, expect, it } from 'vitest';
import { validateDocumentSet } from '../../../src/arazzo/validate/index.js';
import { loadInline } from '../document/fixture-reader.js';

const documentWith = (criterion: string, version = '1.0.1') => `arazzo: ${version}
info:
  title: expression type objects
  version: 1.0.0
sourceDescriptions:
  - name: pets
    url: ./pets.openapi.yaml
workflows:
  - workflowId: w
    steps:
      - stepId: list
        operationId: listPets
        successCriteria:
${criterion}
`;

describe('a 1.0 Criterion whose type is an expression type object', () => {
  it('xpath-30 and the Goessner JSONPath draft validate with no finding', async () => {
    const xpath =
      '          - context: $response.body\n            condition: /pets/pet\n            type:\n              type: xpath\n              version: xpath-30';
    const goessner =
      '          - context: $response.body\n            condition: $[?(@.name)]\n            type:\n              type: jsonpath\n              version: draft-goessner-dispatch-jsonpath-00';
    expect(validateDocumentSet(await loadInline(documentWith(xpath)))).toEqual([]);
    expect(validateDocumentSet(await loadInline(documentWith(goessner)))).toEqual([]);
  });

  it('still refuses what 1.0.1 does not allow: an unknown version, a type object beside the criterion', async () => {
    const unknown =
      '          - context: $response.body\n            condition: /pets\n            type:\n              type: xpath\n              version: xpath-31';
    const findings = validateDocumentSet(await loadInline(documentWith(unknown)));
    expect(findings.map((f) => [f.code, f.pointer, f.message])).toEqual([
      [
        'invalid-criterion',
        '/workflows/0/steps/0/successCriteria/0/condition',
        'xpath condition "/pets" does not compile: unsupported XPath version `xpath-31`',
      ],
      [
        'schema',
        '/workflows/0/steps/0/successCriteria/0/type/version',
        '"version" of "type" of success criterion 0 of step "list" of workflow "w" must be one of "xpath-10", "xpath-20", "xpath-30"',
      ],
    ]);
    const flat =
      '          - context: $response.body\n            condition: /pets\n            type: xpath\n            version: xpath-30';
    expect(validateDocumentSet(await loadInline(documentWith(flat))).map((f) => f.message)).toEqual([
      'success criterion 0 of step "list" of workflow "w" has unknown property "version"',
    ]);
  });
});
