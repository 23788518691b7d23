// A step activity gets only the context values its step names. Whatever it builds or judges with that
// slice must equal what it would with the whole context; nothing it does not name may be in it.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadDocumentSet } from '../../../src/arazzo/document/index.js';
import type { ExpressionContext } from '../../../src/arazzo/expressions/index.js';
import { buildPlan } from '../../../src/arazzo/plan/build-plan.js';
import { buildOperationRequest } from '../../../src/arazzo/plan/operation-request.js';
import { referencedContext, stepExpressionText } from '../../../src/arazzo/plan/referenced-context.js';
import type { PlanStep } from '../../../src/arazzo/plan/types.js';
import { evaluateOutputs } from '../../../src/arazzo/request/outputs.js';

const arazzoDir = fileURLToPath(new URL('../../../arazzo/', import.meta.url));

const full: ExpressionContext = {
  inputs: {
    apiToken: { $secret: 'env:PRISMA_TOKEN' },
    databaseId: 'db_1',
    oldConnectionId: 'con_old',
    newName: 'rotated',
    projectId: 'proj_1',
    oldKeyId: 'key_old',
    comment: 'rotated',
    unrelated: 'x'.repeat(1000),
  },
  steps: {
    confirmDatabase: { outputs: { databaseStatus: 'ready' } },
    checkOldConnection: { outputs: { oldConnectionId: 'con_old' } },
    createConnection: { outputs: { newConnectionId: 'con_new', newConnectionString: 'postgres://u:p@h/db' } },
    createKey: { outputs: { newKeyId: 'key_new', newKey: 'dg_secret' } },
    verifyReplacement: { outputs: {} },
  },
};

describe('referencedContext', () => {
  it('keeps the inputs and step outputs a step names, and nothing else', () => {
    const text = JSON.stringify({
      parameters: [
        { name: 'Authorization', in: 'header', value: 'Bearer {$inputs.apiToken}' },
        { name: 'id', in: 'path', value: '$steps.createConnection.outputs.newConnectionId' },
      ],
    });
    expect(referencedContext(text, full)).toEqual({
      inputs: { apiToken: { $secret: 'env:PRISMA_TOKEN' } },
      steps: { createConnection: { outputs: { newConnectionId: 'con_new' } } },
    });
  });

  it('keeps everything a whole-object reference can read', () => {
    expect(referencedContext('{"payload":"$inputs"}', full).inputs).toEqual(full.inputs);
    expect(referencedContext('{"v":"$steps.createKey.outputs"}', full).steps).toEqual({
      createKey: full.steps.createKey,
    });
  });

  it('finds names as JSON writes them (quotes and backslashes escaped)', () => {
    const context: ExpressionContext = { inputs: { 'a"b': 1, 'c\\d': 2, e: 3 }, steps: {} };
    const text = JSON.stringify({ v: '$inputs.a"b', w: '$inputs.c\\d' });
    expect(referencedContext(text, context).inputs).toEqual({ 'a"b': 1, 'c\\d': 2 });
  });

  it('keeps workflow outputs a step names, and the document-level context as it is', () => {
    const context: ExpressionContext = {
      inputs: {},
      steps: {},
      workflows: { prepare: { outputs: { a: 1, b: 2 } }, other: { outputs: { c: 3 } } },
      components: { parameters: { p: { name: 'p' } } },
    };
    expect(referencedContext('{"v":"$workflows.prepare.outputs.b"}', context)).toEqual({
      inputs: {},
      steps: {},
      workflows: { prepare: { outputs: { b: 2 } } },
      components: context.components,
    });
  });

  for (const document of [
    'rotations/prisma-rotate-connection.arazzo.yaml',
    'rotations/deepgram-rotate-key.arazzo.yaml',
  ]) {
    it(`${document}: every step builds the same request and outputs from its slice as from the whole context`, async () => {
      const set = await loadDocumentSet(`${arazzoDir}${document}`, { read: (path) => readFile(path, 'utf8') });
      const plan = buildPlan(set);
      const workflow = plan.workflows[plan.workflowId];
      const steps = workflow.steps;
      // Every input the document declares and every output of every step has a value, plus noise.
      const declared = Object.keys((workflow.inputs as { properties?: object }).properties ?? {});
      const whole: ExpressionContext = {
        inputs: { ...full.inputs, ...Object.fromEntries(declared.map((name) => [name, `input-${name}`])) },
        steps: Object.fromEntries(
          steps.map((s) => [
            s.stepId,
            { outputs: Object.fromEntries(Object.keys(s.outputs).map((name) => [name, `${s.stepId}-${name}`])) },
          ]),
        ),
      };
      expect(declared.length).toBeGreaterThan(1);
      const response = {
        headers: { 'content-type': 'application/json' },
        body: { data: { id: 'x', status: 'ready' } },
      };
      let compared = 0;
      const compare = (step: PlanStep, part: 'step' | 'compensation') => {
        const source = part === 'step' ? step : step.compensation!;
        const call = { operation: source.operation!, parameters: source.parameters, requestBody: source.requestBody };
        const slice = referencedContext(stepExpressionText(step, part), whole);
        expect(JSON.stringify(slice).length).toBeLessThan(JSON.stringify(whole).length / 2);
        expect(buildOperationRequest(call, slice)).toEqual(buildOperationRequest(call, whole));
        if (part === 'step') {
          const withResponse = (c: ExpressionContext) => ({ ...c, statusCode: 200, response });
          expect(evaluateOutputs(step.outputs, withResponse(slice))).toEqual(
            evaluateOutputs(step.outputs, withResponse(whole)),
          );
        }
        compared += 1;
      };
      for (const step of steps) {
        compare(step, 'step');
        if (step.compensation) compare(step, 'compensation');
      }
      expect(compared).toBeGreaterThanOrEqual(steps.length);
    });
  }
});
