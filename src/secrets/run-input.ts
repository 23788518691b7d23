// Plain-text inputs are recorded once, in the run's start event. Activities read them back from
// there (through the worker's client and data converter) instead of receiving them in their own
// inputs, so a token given plainly is not copied into every scheduled activity. Nested runs follow
// their parent (a child's inputs hold references to the parent's); only the run's own chain is read.
//
// A run's start event never changes, so what was read is kept per execution (workflowId + runId) for a
// few minutes: a rotation's five steps cost one history read, not five. The values include plain
// secrets, hence the short lifetime and the size bound; a run waiting days for approval reads again.
import { activityInfo, getClient } from '@temporalio/activity';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { isSecretRef } from '../arazzo/secrets/refs.js';

export interface Execution {
  workflowId: string;
  runId?: string;
}

type StartInput = { input: any; parent?: Execution };

/** What was read per execution, for `keepMs` at most and `max` executions; failed reads are not kept. */
export class PerRunMemo<T> {
  private readonly kept = new Map<string, { at: number; value: Promise<T> }>();

  constructor(
    private readonly read: (execution: Execution) => Promise<T>,
    private readonly options: { keepMs: number; max: number; now?: () => number },
  ) {}

  get(execution: Execution): Promise<T> {
    if (!execution.runId) return this.read(execution); // "the latest run" may change: never kept
    const key = `${execution.workflowId}\n${execution.runId}`;
    const now = (this.options.now ?? Date.now)();
    const hit = this.kept.get(key);
    if (hit && now - hit.at < this.options.keepMs) return hit.value;
    for (const [k, entry] of this.kept) if (now - entry.at >= this.options.keepMs) this.kept.delete(k);
    while (this.kept.size >= this.options.max) this.kept.delete(this.kept.keys().next().value as string);
    const value = this.read(execution);
    this.kept.set(key, { at: now, value });
    value.catch(() => {
      if (this.kept.get(key)?.value === value) this.kept.delete(key);
    });
    return value;
  }
}

const startInputs = new PerRunMemo(readStartInput, { keepMs: 5 * 60_000, max: 256 });
const startInput = (execution: Execution) => startInputs.get(execution);

async function readStartInput(execution: Execution): Promise<StartInput> {
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
