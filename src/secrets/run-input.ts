// Plain-text inputs are recorded once, in the run's start event. Activities read them back from
// there (through the worker's client and data converter) instead of receiving them in their own
// inputs, so a token given plainly is not copied into every scheduled activity. Nested runs follow
// their parent (a child's inputs hold references to the parent's); only the run's own chain is read.
import { activityInfo, getClient } from '@temporalio/activity';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { isSecretRef } from './refs.js';

interface Execution {
  workflowId: string;
  runId?: string;
}

async function startInput(execution: Execution): Promise<{ input: any; parent?: Execution }> {
  const client = getClient();
  const res = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution,
    maximumPageSize: 1,
  });
  const started = res.history?.events?.[0]?.workflowExecutionStartedEventAttributes;
  if (!started) throw new Error(`no start event for ${execution.workflowId}`);
  const input = await decodeFromPayloadsAtIndex(client.options.loadedDataConverter, 0, started.input?.payloads);
  const parent = started.parentWorkflowExecution?.workflowId
    ? {
        workflowId: started.parentWorkflowExecution.workflowId,
        runId: started.parentWorkflowExecution.runId ?? undefined,
      }
    : undefined;
  return { input, parent };
}

function current(): Execution {
  const execution = activityInfo().workflowExecution;
  if (!execution) throw new Error('not running in a workflow activity');
  return { workflowId: execution.workflowId, runId: execution.runId };
}

/** The `inputs` object the current run was started with. */
export async function readRunInputs(): Promise<Record<string, unknown> | undefined> {
  return (await startInput(current())).input?.inputs;
}

/** One input as given in plain text, from this run or (for nested runs) its ancestors. */
export async function readRunInput(name: string): Promise<unknown> {
  let execution: Execution | undefined = current();
  for (let depth = 0; execution && depth < 16; depth++) {
    const { input, parent } = await startInput(execution);
    const value = input?.inputs?.[name];
    if (value !== undefined && !isSecretRef(value)) return value;
    execution = parent;
  }
  return undefined;
}
