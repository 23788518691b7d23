// Plain-text inputs are recorded once, in the run's start event. Activities read them back from
// there (run-history.ts, the one reader of a run's history) instead of receiving them in their own
// inputs, so a token given plainly is not copied into every scheduled activity. Nested runs follow
// their parent (a child's inputs hold references to the parent's); only the run's own chain is read.
import { currentExecution, type Execution, recordedRun } from '../activities/run-history.js';
import { isSecretRef } from '../arazzo/secrets/refs.js';

/** The `inputs` object the current run was started with. */
export async function readRunInputs(): Promise<Record<string, unknown> | undefined> {
  return (await recordedRun()).input?.inputs;
}

/** One input as given in plain text, from this run or (for nested runs) its ancestors. */
export async function readRunInput(name: string): Promise<unknown> {
  let execution: Execution | undefined = currentExecution();
  for (let depth = 0; execution && depth < 16; depth++) {
    const { input, parent } = await recordedRun(execution);
    const value = input?.inputs?.[name];
    if (value !== undefined && !isSecretRef(value)) return value;
    execution = parent;
  }
  return undefined;
}
