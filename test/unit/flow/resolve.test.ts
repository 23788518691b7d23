import { describe, expect, it } from 'vitest';
import {
  type Components,
  type FailureAction,
  FlowDefinitionError,
  resolveStepActions,
  type Step,
  type SuccessAction,
  type Workflow,
} from './flow-api.js';

const end = (name: string, extra: Partial<SuccessAction> = {}): SuccessAction => ({ name, type: 'end', ...extra });
const retry = (name: string, extra: Partial<FailureAction> = {}): FailureAction => ({ name, type: 'retry', ...extra });

function wf(steps: Step[], extra: Partial<Workflow> = {}): Workflow {
  return { workflowId: 'w', steps, ...extra };
}

function thrown(fn: () => unknown): FlowDefinitionError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FlowDefinitionError);
    return e as FlowDefinitionError;
  }
  throw new Error('expected a FlowDefinitionError');
}

describe('resolveStepActions: merge order', () => {
  const steps: Step[] = [
    { stepId: 'a' },
    {
      stepId: 'b',
      onSuccess: [end('s2'), { name: 'w1', type: 'goto', stepId: 'a' }],
      onFailure: [{ name: 'f2', type: 'end' }],
    },
  ];
  const workflow = wf(steps, {
    successActions: [end('w1'), end('w2'), end('w3')],
    failureActions: [retry('f1'), { name: 'f2', type: 'goto', stepId: 'a' }],
  });

  it("puts the step's own actions first, then the workflow's not overridden by name, each in order", () => {
    const { success, failure } = resolveStepActions(workflow, steps[1], undefined, { workflowIndex: 0 });
    expect(success.map((a) => [a.name, a.level, a.type])).toEqual([
      ['s2', 'step', 'end'],
      ['w1', 'step', 'goto'], // the override takes the step's position and definition
      ['w2', 'workflow', 'end'],
      ['w3', 'workflow', 'end'],
    ]);
    expect(failure.map((a) => [a.name, a.level, a.type])).toEqual([
      ['f2', 'step', 'end'],
      ['f1', 'workflow', 'retry'],
    ]);
  });

  it('applies workflow-level actions to a step that has none of its own', () => {
    const { success, failure } = resolveStepActions(workflow, steps[0]);
    expect(success.map((a) => a.name)).toEqual(['w1', 'w2', 'w3']);
    expect(failure.map((a) => a.name)).toEqual(['f1', 'f2']);
  });

  it('records JSON pointers: absolute with workflowIndex, relative to the workflow without', () => {
    const abs = resolveStepActions(workflow, steps[1], undefined, { workflowIndex: 3 });
    expect(abs.success.map((a) => a.pointer)).toEqual([
      '/workflows/3/steps/1/onSuccess/0',
      '/workflows/3/steps/1/onSuccess/1',
      '/workflows/3/successActions/1',
      '/workflows/3/successActions/2',
    ]);
    expect(abs.failure.map((a) => a.pointer)).toEqual([
      '/workflows/3/steps/1/onFailure/0',
      '/workflows/3/failureActions/0',
    ]);
    const rel = resolveStepActions(workflow, steps[1]);
    expect(rel.success[0].pointer).toBe('/steps/1/onSuccess/0');
    expect(rel.success[2].pointer).toBe('/successActions/1');
  });

  it('returns empty lists when nothing is declared', () => {
    const w = wf([{ stepId: 'only' }]);
    expect(resolveStepActions(w, w.steps[0])).toEqual({ success: [], failure: [] });
  });

  it('finds the step by stepId when given an equal copy rather than the same object', () => {
    const copy = structuredClone(steps[1]);
    expect(resolveStepActions(workflow, copy).success[0].pointer).toBe('/steps/1/onSuccess/0');
  });
});

describe('resolveStepActions: defaults and fields', () => {
  it('defaults retryLimit to 1 for retry, keeps retryAfter and criteria, and sets no retry fields elsewhere', () => {
    const criteria = [{ condition: '$statusCode == 503' }];
    const w = wf([
      {
        stepId: 'a',
        onFailure: [
          retry('r', { retryAfter: 2.5, criteria }),
          retry('r5', { retryLimit: 5 }),
          { name: 'e', type: 'end' },
        ],
      },
    ]);
    const [r, r5, e] = resolveStepActions(w, w.steps[0]).failure;
    expect(r).toMatchObject({ type: 'retry', retryLimit: 1, retryAfter: 2.5, criteria, origin: 'step' });
    expect(r5.retryLimit).toBe(5);
    expect(r5.retryAfter).toBeUndefined();
    expect(r5.criteria).toEqual([]);
    expect(e.retryLimit).toBeUndefined();
  });

  it('drops targets from end actions (they are only relevant for goto/retry)', () => {
    const w = wf([{ stepId: 'a', onSuccess: [end('e', { stepId: 'nowhere', workflowId: 'x' })] }]);
    const [e] = resolveStepActions(w, w.steps[0]).success;
    expect(e.stepId).toBeUndefined();
    expect(e.workflowId).toBeUndefined();
  });

  it('does not alias the criteria array of the document', () => {
    const criteria = [{ condition: '$statusCode == 200' }];
    const w = wf([{ stepId: 'a', onSuccess: [end('e', { criteria })] }]);
    const [e] = resolveStepActions(w, w.steps[0]).success;
    expect(e.criteria).toEqual(criteria);
    expect(e.criteria).not.toBe(criteria);
  });
});

describe('resolveStepActions: component references', () => {
  const components: Components = {
    successActions: { done: end('finish'), 'dotted.name': end('dotted') },
    failureActions: {
      retryStep: retry('retryStep', { retryAfter: 1, retryLimit: 5 }),
      'a~b/c': { name: 'odd', type: 'end' },
    },
  };

  it('replaces a reference by its target, with origin component and both pointers', () => {
    const w = wf([{ stepId: 'a', onFailure: [{ reference: '$components.failureActions.retryStep' }] }]);
    const [r] = resolveStepActions(w, w.steps[0], components, { workflowIndex: 0 }).failure;
    expect(r).toEqual({
      name: 'retryStep',
      type: 'retry',
      retryAfter: 1,
      retryLimit: 5,
      criteria: [],
      origin: 'component',
      level: 'step',
      pointer: '/components/failureActions/retryStep',
      referencedFrom: '/workflows/0/steps/0/onFailure/0',
    });
  });

  it('accepts braced references and names containing dots; escapes pointer tokens', () => {
    const w = wf([
      {
        stepId: 'a',
        onSuccess: [{ reference: '{$components.successActions.dotted.name}' }],
        onFailure: [{ reference: '$components.failureActions.a~b/c' }],
      },
    ]);
    const { success, failure } = resolveStepActions(w, w.steps[0], components);
    expect(success[0].name).toBe('dotted');
    expect(failure[0].pointer).toBe('/components/failureActions/a~0b~1c');
  });

  it("overrides by the target's name, not the component key", () => {
    const w = wf([{ stepId: 'a', onSuccess: [end('finish', { criteria: [{ condition: 'x' }] })] }], {
      successActions: [{ reference: '$components.successActions.done' }, end('other')],
    });
    const { success } = resolveStepActions(w, w.steps[0], components);
    expect(success.map((a) => [a.name, a.origin, a.level])).toEqual([
      ['finish', 'step', 'step'],
      ['other', 'workflow', 'workflow'],
    ]);
  });

  it('resolves workflow-level references as level workflow', () => {
    const w = wf([{ stepId: 'a' }], { failureActions: [{ reference: '$components.failureActions.retryStep' }] });
    const [r] = resolveStepActions(w, w.steps[0], components, { workflowIndex: 2 }).failure;
    expect(r).toMatchObject({
      origin: 'component',
      level: 'workflow',
      referencedFrom: '/workflows/2/failureActions/0',
    });
  });

  it('throws FlowDefinitionError naming the pointer for an unknown reference', () => {
    const w = wf([{ stepId: 'a', onFailure: [retry('x'), { reference: '$components.failureActions.nope' }] }]);
    const e = thrown(() => resolveStepActions(w, w.steps[0], components, { workflowIndex: 1 }));
    expect(e.code).toBe('unknown-component-reference');
    expect(e.pointer).toBe('/workflows/1/steps/0/onFailure/1/reference');
    expect(e.message).toContain('$components.failureActions.nope');
  });

  it('throws when there are no components at all', () => {
    const w = wf([{ stepId: 'a' }], { successActions: [{ reference: '$components.successActions.done' }] });
    expect(thrown(() => resolveStepActions(w, w.steps[0])).code).toBe('unknown-component-reference');
  });

  it('does not resolve inherited object properties as components', () => {
    const w = wf([{ stepId: 'a' }], { successActions: [{ reference: '$components.successActions.toString' }] });
    expect(thrown(() => resolveStepActions(w, w.steps[0], components)).code).toBe('unknown-component-reference');
  });

  it('rejects a success list referencing failure actions, and malformed references', () => {
    const wrongKind = wf([{ stepId: 'a', onSuccess: [{ reference: '$components.failureActions.retryStep' }] }]);
    expect(thrown(() => resolveStepActions(wrongKind, wrongKind.steps[0], components)).code).toBe(
      'invalid-component-reference',
    );
    const malformed = wf([{ stepId: 'a', onFailure: [{ reference: '$steps.x.outputs.y' }] }]);
    expect(thrown(() => resolveStepActions(malformed, malformed.steps[0], components)).code).toBe(
      'invalid-component-reference',
    );
  });
});

describe('resolveStepActions: definition errors', () => {
  it('rejects a retry among success actions', () => {
    const w = wf([{ stepId: 'a', onSuccess: [{ name: 'r', type: 'retry' } as unknown as SuccessAction] }]);
    const e = thrown(() => resolveStepActions(w, w.steps[0]));
    expect(e.code).toBe('invalid-action-type');
    expect(e.pointer).toBe('/steps/0/onSuccess/0/type');
  });

  it('rejects a goto with no target or with both targets', () => {
    const none = wf([{ stepId: 'a', onSuccess: [{ name: 'g', type: 'goto' }] }]);
    expect(thrown(() => resolveStepActions(none, none.steps[0])).code).toBe('missing-action-target');
    const both = wf([{ stepId: 'a', onFailure: [{ name: 'g', type: 'goto', stepId: 'a', workflowId: 'w' }] }]);
    expect(thrown(() => resolveStepActions(both, both.steps[0])).code).toBe('ambiguous-action-target');
  });

  it('rejects a goto or retry to a stepId outside the workflow', () => {
    const g = wf([{ stepId: 'a' }], { successActions: [{ name: 'g', type: 'goto', stepId: 'zzz' }] });
    const e = thrown(() => resolveStepActions(g, g.steps[0], undefined, { workflowIndex: 0 }));
    expect(e.code).toBe('unknown-step-target');
    expect(e.pointer).toBe('/workflows/0/successActions/0/stepId');
    const r = wf([{ stepId: 'a', onFailure: [retry('r', { stepId: 'zzz' })] }]);
    expect(thrown(() => resolveStepActions(r, r.steps[0])).code).toBe('unknown-step-target');
  });

  it('rejects duplicate names within one list', () => {
    const w = wf([{ stepId: 'a', onFailure: [retry('r'), retry('r')] }]);
    const e = thrown(() => resolveStepActions(w, w.steps[0]));
    expect(e.code).toBe('duplicate-action-name');
    expect(e.pointer).toBe('/steps/0/onFailure/1');
  });

  it('rejects a step that is not in the workflow', () => {
    const w = wf([{ stepId: 'a' }]);
    expect(thrown(() => resolveStepActions(w, { stepId: 'b' })).code).toBe('step-not-in-workflow');
  });
});
