// Whole-run scenarios through the driver: retries, detours, goto loops, components.
import { describe, expect, it } from 'vitest';
import type { Components, Workflow } from './flow-api.js';
import { runScript } from './run-script.js';

describe('simulated runs', () => {
  it('retries a failing step, then continues once it succeeds', () => {
    const workflow: Workflow = {
      workflowId: 'w',
      steps: [
        { stepId: 'get', onFailure: [{ name: 'again', type: 'retry', retryAfter: 0.5, retryLimit: 3 }] },
        { stepId: 'next' },
      ],
    };
    const r = runScript(workflow, {
      get: [{ successful: false }, { successful: false, retryAfterHeaderSeconds: 4 }, { successful: true }],
      next: [{ successful: true }],
    });
    expect(r.steps).toEqual(['get', 'get', 'get', 'next']);
    expect(r.delays).toEqual([0.5, 4]);
    expect(r.final).toEqual({ kind: 'complete' });
  });

  it('exhausts a workflow-level component retry, then falls through to the next failure action', () => {
    const components: Components = {
      failureActions: { retryOnce: { name: 'retryOnce', type: 'retry' } },
    };
    const workflow: Workflow = {
      workflowId: 'w',
      failureActions: [
        { reference: '$components.failureActions.retryOnce' },
        { name: 'giveUp', type: 'goto', stepId: 'cleanup' },
      ],
      steps: [{ stepId: 'work' }, { stepId: 'skipped' }, { stepId: 'cleanup' }],
    };
    const r = runScript(
      workflow,
      { work: [{ successful: false }], skipped: [{ successful: true }], cleanup: [{ successful: true }] },
      { components },
    );
    expect(r.steps).toEqual(['work', 'work', 'cleanup']);
    expect(r.moves.map((m) => m.kind)).toEqual(['retry', 'goto-step', 'complete']);
  });

  it('runs a retry detour step, then the failed step again', () => {
    const workflow: Workflow = {
      workflowId: 'w',
      steps: [
        { stepId: 'login' },
        { stepId: 'call', onFailure: [{ name: 'relogin', type: 'retry', stepId: 'login', retryLimit: 2 }] },
        { stepId: 'done' },
      ],
    };
    const r = runScript(workflow, {
      login: [{ successful: true }],
      call: [{ successful: false }, { successful: true }],
      done: [{ successful: true }],
    });
    expect(r.steps).toEqual(['login', 'call', 'login', 'call', 'done']);
  });

  it('gives a step its retries again when it is reached anew (counters reset when the step is left)', () => {
    const workflow: Workflow = {
      workflowId: 'w',
      steps: [
        {
          stepId: 'poll',
          onSuccess: [{ name: 'done', type: 'end' }],
          onFailure: [
            { name: 'r', type: 'retry' },
            { name: 'back', type: 'goto', stepId: 'wait' },
          ],
        },
        { stepId: 'wait', onSuccess: [{ name: 'loop', type: 'goto', stepId: 'poll' }] },
      ],
    };
    const r = runScript(workflow, {
      poll: [{ successful: false }, { successful: false }, { successful: false }, { successful: true }],
      wait: [{ successful: true }],
    });
    // poll fails, retries once, fails again → goto wait → back to poll, which has a fresh retry.
    expect(r.steps).toEqual(['poll', 'poll', 'wait', 'poll', 'poll']);
    expect(r.moves.map((m) => m.kind)).toEqual(['retry', 'goto-step', 'goto-step', 'retry', 'end']);
  });

  it('stops an endless goto loop with budget-exceeded at exactly the budget', () => {
    const workflow: Workflow = {
      workflowId: 'w',
      steps: [{ stepId: 'a', onSuccess: [{ name: 'loop', type: 'goto', stepId: 'a' }] }],
    };
    const r = runScript(workflow, { a: [{ successful: true }] }, { stepBudget: 10 });
    expect(r.steps).toHaveLength(10);
    expect(r.final).toMatchObject({ kind: 'budget-exceeded', limit: 10 });
  });

  it('ends the run at a goto to another workflow (one-way transfer)', () => {
    const workflow: Workflow = {
      workflowId: 'w',
      steps: [{ stepId: 'a', onSuccess: [{ name: 'handoff', type: 'goto', workflowId: 'other' }] }, { stepId: 'b' }],
    };
    const r = runScript(workflow, { a: [{ successful: true }], b: [{ successful: true }] });
    expect(r.steps).toEqual(['a']);
    expect(r.final).toMatchObject({ kind: 'goto-workflow', workflowId: 'other', from: 'success' });
  });
});
