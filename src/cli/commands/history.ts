// `history <workflow-id>`: each step as the run's history recorded it (request, HTTP status, duration,
// attempts, outputs with secrets masked), read from the server and decoded with the project's codec,
// so it works without a worker and for closed runs.
import type { Client } from '@temporalio/client';
import { Command } from 'commander';
import type { StepResult } from '../../activities/run-step.js';
import { withClient } from '../connect.js';
import { out, printJson } from '../output.js';
import { maskOutputs } from '../render-progress.js';

export interface StepEntry {
  stepId: string;
  /**
   * `lock-wait`: a first step scheduled with the run's lock found the lock held by another run and sent
   * nothing; the run waited for its lock and sent the step again (the next entry, `<stepId>#2`).
   */
  status: 'succeeded' | 'failed' | 'running' | 'lock-wait';
  request?: string;
  httpStatus?: number;
  attempt?: number;
  durationMs?: number;
  outputs?: Record<string, unknown>;
  scheduledAt?: string;
}

export function historyCommand(): Command {
  return new Command('history')
    .description("a run's steps from its history: request, status, duration, outputs (secrets masked)")
    .argument('<workflow-id>', 'the run (Temporal workflow id)')
    .option('--json', 'machine-readable output')
    .addHelpText('after', '\nExit codes: 0 shown, 1 no such run.')
    .action(async (workflowRunId: string, o: { json?: boolean }, command: Command) => {
      await withClient(command, async ({ client }) => {
        const steps = await stepsOf(client, workflowRunId);
        if (o.json) {
          printJson({ workflowId: workflowRunId, steps });
          return;
        }
        if (steps.length === 0) out(`run ${workflowRunId}: no step has been scheduled yet`);
        const idWidth = Math.min(32, Math.max(4, ...steps.map((s) => s.stepId.length)));
        for (const s of steps) {
          const duration = s.durationMs === undefined ? '' : ` ${s.durationMs} ms`;
          const attempt = s.attempt && s.attempt > 1 ? ` (attempt ${s.attempt})` : '';
          const http = s.httpStatus === undefined ? '' : ` → HTTP ${s.httpStatus}`;
          out(`${s.stepId.padEnd(idWidth)}  ${s.status.padEnd(9)}  ${s.request ?? ''}${http}${duration}${attempt}`);
          for (const [k, v] of Object.entries(s.outputs ?? {})) {
            out(`${''.padEnd(idWidth)}    ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
          }
        }
      });
    });
}

/** The run's steps as its history recorded them (what `history` prints). */
export async function stepsOf(client: Client, workflowRunId: string): Promise<StepEntry[]> {
  const { explainQueryError } = await import('../progress-query.js');
  const history = await client.workflow
    .getHandle(workflowRunId)
    .fetchHistory()
    .catch((err) => {
      throw explainQueryError(err, workflowRunId);
    });
  const { payloadConverter, payloadCodecs } = client.options.loadedDataConverter;
  const decode = async (payload: unknown) => {
    let payloads = [payload as Parameters<(typeof payloadCodecs)[number]['decode']>[0][number]];
    for (const codec of [...payloadCodecs].reverse()) payloads = await codec.decode(payloads);
    return payloadConverter.fromPayload(payloads[0]);
  };
  const byScheduledEvent = new Map<string, StepEntry>();
  const steps: StepEntry[] = [];
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled && scheduled.activityType?.name === 'runStep') {
      const entry: StepEntry = {
        stepId: scheduled.activityId ?? '?',
        status: 'running',
        scheduledAt: event.eventTime?.seconds
          ? new Date(Number(event.eventTime.seconds) * 1000).toISOString()
          : undefined,
      };
      byScheduledEvent.set(String(event.eventId), entry);
      steps.push(entry);
      continue;
    }
    const completed = event.activityTaskCompletedEventAttributes;
    const failed = event.activityTaskFailedEventAttributes ?? event.activityTaskTimedOutEventAttributes;
    const entry = byScheduledEvent.get(String((completed ?? failed)?.scheduledEventId));
    if (!entry) continue;
    if (completed) {
      const result = (await decode(completed.result?.payloads?.[0])) as StepResult;
      Object.assign(entry, {
        status: result.successful ? 'succeeded' : 'failed',
        request: `${result.method} ${result.url}`,
        httpStatus: result.statusCode,
        attempt: result.attempt,
        durationMs: result.durationMs,
        outputs: maskOutputs(result.outputs ?? {}),
      });
    } else if (event.activityTaskFailedEventAttributes?.failure?.applicationFailureInfo?.type === 'LockNotHeld') {
      Object.assign(entry, { status: 'lock-wait', request: 'nothing sent: the lock was held by another run' });
    } else entry.status = 'failed';
  }
  return steps;
}
