// Compatibility with recorded histories, and only that. Runs started by today's code never take these
// paths; runs recorded before (the replay fixture sets of 2026-11-23, or a run parked for approval
// across an upgrade) still replay and finish. Retire each function with the fixture sets that need it
// (see patches.ts for the lifecycle).
import type { PlanStep } from '../arazzo/plan/types.js';
import type { RunStepInput } from '../activities/index.js';
import { newRunRecord, type RunRecord } from './run-state.js';
import type { RunProgress } from './types.js';

/**
 * What continue-as-new carried before the run state was one record (fixture sets a–d). It lacked
 * `executions`, `completedSteps` and `secretNames`.
 */
export interface LegacyResumeState {
  stepIndex: number;
  stepOutputs: Record<string, Record<string, unknown>>;
  workflowOutputs: Record<string, Record<string, unknown>>;
  retriesUsed: Record<string, number>;
  stepRuns: number;
  progress: RunProgress;
  inputs: Record<string, unknown>;
  searchAttributes: string[];
}

/**
 * The record a continued run resumes from. A legacy state's completed steps are recovered from its
 * progress (succeeded steps, in the order they finished), so compensation still finds them.
 */
export function restoreRunRecord(resume: RunRecord | LegacyResumeState): RunRecord {
  if ('version' in resume && resume.version === 2) return resume;
  const legacy = resume as LegacyResumeState;
  const completedSteps = legacy.progress.steps
    .filter((s) => s.status === 'succeeded')
    .sort((a, b) => (a.finishedAt ?? '').localeCompare(b.finishedAt ?? ''))
    .map((s) => s.stepId);
  return {
    ...newRunRecord(legacy.progress.document, legacy.progress.workflowId),
    stepIndex: legacy.stepIndex,
    inputs: legacy.inputs,
    stepOutputs: legacy.stepOutputs,
    workflowOutputs: legacy.workflowOutputs,
    retriesUsed: legacy.retriesUsed,
    stepRuns: legacy.stepRuns,
    completedSteps,
    searchAttributes: legacy.searchAttributes,
    progress: legacy.progress,
  };
}

/**
 * The step's operation, criteria and outputs copied into the activity input, for a run without a
 * plan digest: nested runs started before children were given the parent's digest. Today every run
 * schedules steps by reference (step-activity.ts).
 */
export function inlineStepWork(
  step: PlanStep,
  part: 'step' | 'compensation',
): Pick<RunStepInput, 'call' | 'judge' | 'undo'> {
  if (part === 'compensation') {
    const undo = step.compensation!;
    return {
      call: { operation: undo.operation, parameters: undo.parameters, requestBody: undo.requestBody },
      undo: { successCriteria: undo.successCriteria, alreadyDoneStatuses: undo.alreadyDoneStatuses },
    };
  }
  return {
    call: { operation: step.operation!, parameters: step.parameters, requestBody: step.requestBody },
    judge: { successCriteria: step.successCriteria, outputs: step.outputs, actions: step.actions },
  };
}
