import { describe, expect, it } from 'vitest';
import { loadDocumentSet } from '../../../src/arazzo/document/index.js';
import type { Finding } from '../../../src/arazzo/model.js';
import { validateDocumentSet } from '../../../src/arazzo/validate/index.js';
import { FIXTURES, readLocal } from '../document/fixture-reader.js';

/** [severity, code, line:column, pointer, message, hint]: everything a reader of the finding sees. */
function rows(findings: Finding[]) {
  return findings.map((f) => [f.severity, f.code, `${f.line}:${f.column}`, f.pointer, f.message, f.hint]);
}

async function validateFixture(name: string, strict = false) {
  const set = await loadDocumentSet(`${FIXTURES}rules/${name}`, { read: readLocal });
  return validateDocumentSet(set, { strict });
}

describe('semantic rules: names, step kinds, targets, dependsOn, components', () => {
  it('reports every problem of the document at once, each at its line, column and pointer', async () => {
    const findings = await validateFixture('identifiers.arazzo.yaml');
    expect(rows(findings)).toEqual([
      [
        'error',
        'duplicate-source-name',
        '8:11',
        '/sourceDescriptions/1/name',
        'duplicate source description name "pets"',
        'already used at /sourceDescriptions/0/name (line 6); source description names must be unique',
      ],
      [
        'error',
        'unknown-workflow',
        '14:9',
        '/workflows/0/dependsOn/1',
        'dependsOn "missing-workflow" is not a workflow of this document',
        'known workflows: adopt, release, audit',
      ],
      [
        'error',
        'unknown-step',
        '21:21',
        '/workflows/0/steps/0/onSuccess/0/stepId',
        'goto action "next" goes to step "fetchh", which is not a step of workflow "adopt"',
        'did you mean "fetch"?',
      ],
      [
        'error',
        'unknown-workflow',
        '24:25',
        '/workflows/0/steps/0/onSuccess/1/workflowId',
        'goto action "elsewhere" workflowId "relase" is not a workflow of this document',
        'did you mean "release"?',
      ],
      [
        'error',
        'duplicate-step-id',
        '25:17',
        '/workflows/0/steps/1/stepId',
        'duplicate stepId "find" in workflow "adopt"',
        'already used at /workflows/0/steps/0/stepId (line 16); stepIds must be unique',
      ],
      [
        'error',
        'unknown-step',
        '36:13',
        '/workflows/0/steps/1/onFailure/1',
        'goto action "giveUp" goes to step "nowhere", which is not a step of workflow "adopt"',
        'steps of this workflow: find, nothing, both, fetch',
      ],
      [
        'error',
        'component-kind-mismatch',
        '37:24',
        '/workflows/0/steps/1/onFailure/2/reference',
        'reference "$components.successActions.done" names a successActions component where failureActions are expected',
        'use $components.failureActions.<name>',
      ],
      [
        'error',
        'step-target',
        '38:9',
        '/workflows/0/steps/2',
        'step "nothing" must have exactly one of operationId, operationPath or workflowId; it has none',
        'add `operationId: <id>` to call an API operation, or `workflowId: <id>` to run another workflow',
      ],
      [
        'error',
        'step-target',
        '41:21',
        '/workflows/0/steps/3/workflowId',
        'step "both" must have exactly one of operationId, operationPath or workflowId; it has operationId and workflowId',
        'keep one of operationId, workflowId',
      ],
      [
        'error',
        'missing-path-parameter',
        '44:9',
        '/workflows/0/steps/4/parameters',
        'step "fetch" does not pass path parameter "petId" required by DELETE /pets/{petId}',
        "add { name: petId, in: path, value: ... } to the step's parameters",
      ],
      [
        'error',
        'unknown-component',
        '45:24',
        '/workflows/0/steps/4/parameters/0/reference',
        'reference "$components.parameters.petid": there is no components.parameters.petid',
        'did you mean "petId"?',
      ],
      [
        'error',
        'goto-target',
        '47:13',
        '/workflows/0/steps/4/onSuccess/0',
        'goto action "jump" must have exactly one of stepId or workflowId; it has none',
        'add `stepId: <a step of this workflow>` or `workflowId: <a workflow>`',
      ],
      [
        'error',
        'dependency-cycle',
        '55:17',
        '/workflows/2/dependsOn/0',
        'dependsOn forms a cycle: adopt → release → audit → adopt',
        'a workflow cannot (indirectly) depend on itself; remove one of these dependsOn entries',
      ],
      [
        'error',
        'duplicate-workflow-id',
        '59:17',
        '/workflows/3/workflowId',
        'duplicate workflowId "adopt"',
        'already used at /workflows/0/workflowId (line 11); workflowIds must be unique',
      ],
    ]);
  });

  it('names the workflow and step each finding concerns, and the file', async () => {
    const findings = await validateFixture('identifiers.arazzo.yaml');
    const duplicateStep = findings.find((f) => f.code === 'duplicate-step-id');
    expect(duplicateStep).toMatchObject({
      workflowId: 'adopt',
      stepId: 'find',
      file: `${FIXTURES}rules/identifiers.arazzo.yaml`,
    });
    expect(findings.find((f) => f.code === 'duplicate-source-name')?.workflowId).toBeUndefined();
  });
});

describe('operation and workflow references', () => {
  it('resolve operationId in exactly one source (or qualified), operationPath pointers, and workflowIds', async () => {
    const findings = await validateFixture('operations.arazzo.yaml');
    expect(rows(findings)).toEqual([
      [
        'error',
        'ambiguous-operation',
        '16:22',
        '/workflows/0/steps/0/operationId',
        'operationId "listPets" exists in several sources (pets, owners)',
        'qualify it, e.g. $sourceDescriptions.pets.listPets',
      ],
      [
        'error',
        'unknown-source',
        '24:22',
        '/workflows/0/steps/2/operationId',
        'operationId "$sourceDescriptions.cats.listPets" names source "cats", which is not a source description',
        'did you mean "pets"?',
      ],
      [
        'error',
        'source-not-openapi',
        '26:22',
        '/workflows/0/steps/3/operationId',
        'source "shared" is an Arazzo document, not an OpenAPI description',
        'operations come from sources of type openapi; use workflowId to run a workflow of an arazzo source',
      ],
      [
        'error',
        'operation-path-unresolved',
        '28:24',
        '/workflows/0/steps/4/operationPath',
        'operationPath "{$sourceDescriptions.pets.url}#/paths/~1pets~1{id}/get": source "pets" has nothing at #/paths/~1pets~1{id}/get',
        'did you mean "#/paths/~1pets~1{petId}/get"?',
      ],
      [
        'error',
        'unknown-workflow',
        '39:21',
        '/workflows/0/steps/6/workflowId',
        'workflowId "$sourceDescriptions.shared.adpot": source "shared" has no workflow "adpot"',
        'did you mean "adopt"?',
      ],
      [
        'error',
        'unknown-workflow',
        '41:21',
        '/workflows/0/steps/7/workflowId',
        'workflowId "v" is not a workflow of this document',
        'did you mean "w"?',
      ],
    ]);
  });
});

describe('schema findings', () => {
  it('are readable, located, and free of oneOf noise; semantic rules still run beside them', async () => {
    const findings = await validateFixture('schema-errors.arazzo.yaml');
    expect(rows(findings)).toEqual([
      ['error', 'schema', '5:11', '/info/summry', '"info" has unknown property "summry"', 'did you mean "summary"?'],
      [
        'error',
        'schema',
        '9:11',
        '/sourceDescriptions/0/type',
        '"type" of source description "pets" must be one of "arazzo", "openapi"',
        'did you mean "openapi"?',
      ],
      [
        'error',
        'missing-path-parameter',
        '15:9',
        '/workflows/0/steps/0/parameters',
        'step "s" does not pass path parameter "petId" required by GET /pets/{petId}',
        "add { name: petId, in: path, value: ... } to the step's parameters",
      ],
      [
        'error',
        'schema',
        '16:13',
        '/workflows/0/steps/0/parameters/0',
        'parameter "petId" of step "s" of workflow "w" is missing required property "in"',
        undefined,
      ],
      [
        'error',
        'schema',
        '19:13',
        '/workflows/0/steps/0/successCriteria/0',
        'success criterion 0 of step "s" of workflow "w" has "type" so it must also have "context"',
        'regex, jsonpath and xpath conditions are applied to a context, e.g. `context: $response.body`',
      ],
      [
        'error',
        'schema',
        '27:12',
        '/workflows/1/steps',
        '"steps" of workflow "w2" must NOT have fewer than 1 items',
        undefined,
      ],
    ]);
  });
});

describe('runtime expressions', () => {
  it('parse, and every $steps/$inputs/$workflows/$components/$sourceDescriptions/$outputs name exists', async () => {
    const findings = await validateFixture('expressions.arazzo.yaml');
    expect(rows(findings)).toEqual([
      [
        'error',
        'unknown-component',
        '18:17',
        '/workflows/0/inputs/properties/owner/$ref',
        '$ref "#/components/inputs/ownr" does not resolve within this document',
        'did you mean "owner"?',
      ],
      [
        'warning',
        'step-not-yet-run',
        '25:20',
        '/workflows/0/steps/0/parameters/0/value',
        '"$steps.second.outputs.id" refers to step "second", which comes after step "first"',
        'a step can only read the outputs of steps that ran before it',
      ],
      [
        'warning',
        'unbraced-expression',
        '28:20',
        '/workflows/0/steps/0/parameters/1/value',
        'unbraced runtime expression "$inputs.token" inside a string (substituted: lenient dialect)',
        'write it braced: "Bearer {$inputs.token}"',
      ],
      [
        'warning',
        'undeclared-input',
        '31:20',
        '/workflows/0/steps/0/parameters/2/value',
        '"{$inputs.tokn}": input "tokn" is not declared in the inputs of workflow "w"',
        'did you mean "token"?',
      ],
      [
        'error',
        'invalid-expression',
        '34:20',
        '/workflows/0/steps/0/parameters/3/value',
        'invalid runtime expression "$steps.": expected a step id after `$steps.` (at character 8)',
        undefined,
      ],
      [
        'error',
        'unknown-step-output',
        '36:24',
        '/workflows/0/steps/0/successCriteria/0/condition',
        '"$steps.first.outputs.nope": step "first" has no output "nope"',
        'its outputs: id',
      ],
      [
        'error',
        'invalid-criterion',
        '38:24',
        '/workflows/0/steps/0/successCriteria/1/condition',
        'jsonpath condition "$[?@.id == " does not compile: JSONPath does not parse: Expected "$", "\'", "-", "-0", "0", "@", "\\"", "false", "null", "true", [1-9], [\\t-\\n\\r ], or [a-z] but end of input found.',
        undefined,
      ],
      [
        'error',
        'invalid-criterion',
        '41:24',
        '/workflows/0/steps/0/successCriteria/2/condition',
        'regex condition "(unclosed" does not compile: invalid regular expression: error parsing regexp: missing closing ): `(unclosed`',
        'RE2 syntax: https://github.com/google/re2/wiki/Syntax',
      ],
      [
        'warning',
        'unbraced-expression',
        '49:19',
        '/workflows/0/steps/1/requestBody/payload/name',
        'unbraced runtime expression "$inputs.token" inside a string (substituted: lenient dialect)',
        'write it braced: "Pet of {$inputs.token}"',
      ],
      [
        'error',
        'unknown-step-reference',
        '50:20',
        '/workflows/0/steps/1/requestBody/payload/owner',
        '"$steps.frist.outputs.id" refers to step "frist", which is not a step of workflow "w"',
        'did you mean "first"?',
      ],
      [
        'error',
        'unknown-workflow-output',
        '54:24',
        '/workflows/0/steps/1/outputs/viaWorkflow',
        '"$workflows.adopt.outputs.nope": workflow "adopt" has no output "nope"',
        'its outputs: pets',
      ],
      [
        'error',
        'unknown-component',
        '55:22',
        '/workflows/0/steps/1/outputs/component',
        '"$components.parameters.missing": there is no components.parameters.missing',
        undefined,
      ],
      [
        'error',
        'unknown-source',
        '56:19',
        '/workflows/0/steps/1/outputs/source',
        '"$sourceDescriptions.cats.url": there is no source description "cats"',
        'did you mean "pets"?',
      ],
      [
        'error',
        'unknown-workflow-output',
        '61:18',
        '/workflows/0/steps/2/outputs/wrong',
        '"$outputs.petz": workflow "$sourceDescriptions.shared.adopt" has no output "petz"',
        'did you mean "pets"?',
      ],
      [
        'error',
        'invalid-expression',
        '64:12',
        '/workflows/0/outputs/bad',
        'invalid runtime expression "$steps.second.id": a step exposes only `outputs`, found `id` (at character 15)',
        'did you mean `$steps.second.outputs`?',
      ],
    ]);
  });

  it('warn about unbraced tokens in strict mode too, saying they are sent literally', async () => {
    const findings = await validateFixture('expressions.arazzo.yaml', true);
    expect(rows(findings.filter((f) => f.code === 'unbraced-expression'))).toEqual([
      [
        'warning',
        'unbraced-expression',
        '28:20',
        '/workflows/0/steps/0/parameters/1/value',
        'unbraced runtime expression "$inputs.token" inside a string is sent literally in strict mode',
        'write it braced: "Bearer {$inputs.token}"',
      ],
      [
        'warning',
        'unbraced-expression',
        '49:19',
        '/workflows/0/steps/1/requestBody/payload/name',
        'unbraced runtime expression "$inputs.token" inside a string is sent literally in strict mode',
        'write it braced: "Pet of {$inputs.token}"',
      ],
    ]);
  });
});
