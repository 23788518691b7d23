// The worker's activities, built from the worker's policy (what it allows is the operator's choice,
// never a run's input).
import type { WorkerPolicy } from './config.js';
import { type LoadPlanInput, type LoadPlanResult, makeLoadPlan } from './load-plan.js';
import { makeRunStep, type RunStepInput, type StepResult } from './run-step.js';

export interface ArazzoActivities {
  loadPlan(input: LoadPlanInput): Promise<LoadPlanResult>;
  runStep(input: RunStepInput): Promise<StepResult>;
}

export function createActivities(policy: WorkerPolicy): ArazzoActivities {
  return { loadPlan: makeLoadPlan(policy), runStep: makeRunStep(policy) };
}

export type { LoadPlanInput, LoadPlanResult, RunStepInput, StepResult };
