// The interpreter's messages. Each operator decision exists as a signal (what `temporal workflow
// signal` sends; never refused, but ignored-and-recorded when it does not fit) and as an update of
// the same name (our CLI's path: the validator refuses a mistake at once, with the reason).
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AbortArgs, ApproveArgs, RejectArgs, RetryStepArgs, RunProgress, SupplyOutputsArgs } from './types.js';

export const progressQuery = defineQuery<RunProgress>('progress');

export const approveSignal = defineSignal<[ApproveArgs]>('approve');
export const rejectSignal = defineSignal<[RejectArgs]>('reject');
export const retryStepSignal = defineSignal<[RetryStepArgs]>('retryStep');
export const abortSignal = defineSignal<[AbortArgs]>('abort');
export const supplyOutputsSignal = defineSignal<[SupplyOutputsArgs]>('supplyOutputs');

export const approveUpdate = defineUpdate<string, [ApproveArgs]>('approve');
export const rejectUpdate = defineUpdate<string, [RejectArgs]>('reject');
export const retryStepUpdate = defineUpdate<string, [RetryStepArgs]>('retryStep');
export const abortUpdate = defineUpdate<string, [AbortArgs]>('abort');
export const supplyOutputsUpdate = defineUpdate<string, [SupplyOutputsArgs]>('supplyOutputs');

/** The lock holder's one message: the run that holds it is done. */
export const releaseLockSignal = defineSignal('release');
