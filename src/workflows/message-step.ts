// Arazzo 1.1 channel steps in the run. A `send` is one activity (the message is built here, so the
// activity's input is the run's record of what it sent). A `receive` is one short activity that
// records where the channel ends now (the wait's start), then a durable wait in the workflow itself:
// a timer for the step's `timeout` and the `deliverMessage` update, through which the channel listener
// proposes messages. The update's validator is the only judge of a proposal (it must be for this wait,
// at or after its start, carry its correlation id and satisfy its success criteria), so a listener
// that reads too much, twice, or for another run can neither steal nor duplicate a message; the first
// message accepted is recorded in history and is the step's message, exactly once.
import { ApplicationFailure, condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { positionAtOrAfter, type ReceivedMessage } from '../channels/binding.js';
import type { ExpressionContext } from '../arazzo/expressions/index.js';
import { evaluateTemplate, parseValueTemplate, stringifyEmbedded } from '../arazzo/expressions/index.js';
import { buildMessage } from '../arazzo/messages/build-message.js';
import { correlationValueOf } from '../arazzo/messages/correlation.js';
import { judgeMessage } from '../arazzo/messages/judge-message.js';
import { judgeCriteria } from '../arazzo/plan/step-execution.js';
import type { Plan, PlanStep } from '../arazzo/plan/types.js';
import { RequestBuildError } from '../arazzo/request/errors.js';
import type { ChannelTarget, MessageActivities } from '../activities/message-steps.js';
import type { StepResult } from '../activities/index.js';
import {
  channelKey,
  type DeliverMessageArgs,
  deliverMessageUpdate,
  type MessageWait,
  messageWaitsQuery,
} from './message-contract.js';
import type { RunState } from './run-state.js';

const { sendMessage, beginMessageWait } = proxyActivities<MessageActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    maximumAttempts: 5,
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '10s',
    nonRetryableErrorTypes: ['ChannelNotAvailable', 'InvalidServerOverride'],
  },
});

interface OpenWait {
  waitId: string;
  step: PlanStep;
  /** What expressions saw when the wait began (nothing else changes while the run waits). */
  context: ExpressionContext;
  address: string;
  correlation?: { location: string; value: string };
  /** Known once the channel's position was recorded. */
  wait?: MessageWait;
  accepted?: ReceivedMessage;
}

export interface MessageStepSettings {
  plan: Plan;
  servers?: Record<string, string>;
}

export class MessageSteps {
  private settings?: MessageStepSettings;
  private open?: OpenWait;

  constructor(private readonly state: RunState) {}

  /** At the run's start, before anything can be proposed; settings follow once the plan is known. */
  register(): void {
    setHandler(deliverMessageUpdate, (args) => this.accept(args), { validator: (args) => this.check(args) });
    setHandler(messageWaitsQuery, () => (this.open?.wait && !this.open.accepted ? [this.open.wait] : []));
  }

  configure(settings: MessageStepSettings): void {
    this.settings = settings;
  }

  private target(step: PlanStep): ChannelTarget {
    const { channel } = step.message!;
    const override = this.settings?.servers?.[channel.sourceName];
    const host = override ? override.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/+$/, '') : channel.server.host;
    return { protocol: channel.server.protocol, host, describedHost: channel.server.host };
  }

  private get strict(): boolean {
    return this.settings?.plan.strict ?? false;
  }

  // ------------------------------------------------------------------ send

  async send(step: PlanStep): Promise<StepResult> {
    const count = this.state.countExecution(step.stepId);
    this.state.startStep(step.stepId);
    const context = this.state.context();
    const built = asBuildFailure(() => buildMessage(step, context, this.strict));
    refuseSecretReferences(step, built);
    const target = this.target(step);
    const replyChannels = this.replyChannelsAfter(step, context);
    const info = workflowInfo();
    const sent = await sendMessage.executeWithOptions(
      {
        activityId: count === 1 ? step.stepId : `${step.stepId}#${count}`,
        summary: `${step.stepId}: send to ${target.protocol}://${target.host}/${built.address}`,
      },
      [
        {
          messageId: `${info.workflowId}/${info.firstExecutionRunId}/${step.stepId}#${count}`,
          target,
          message: {
            address: built.address,
            key: built.key,
            headers: built.headers,
            payload: built.payload,
            contentType: step.requestBody?.contentType ?? step.message!.channel.message?.contentType,
          },
          ...(replyChannels.length ? { replyChannels } : {}),
        },
      ],
    );
    if (sent.replyWindows) {
      this.state.record.replyWindows = { ...this.state.record.replyWindows, ...sent.replyWindows };
    }
    const judged = judgeMessage(step, { ...context, message: { headers: built.headers, payload: built.payload } });
    // Where the broker put it: there is no expression for it, so it is an output unless the step names its own.
    const outputs = { partition: sent.partition, offset: sent.offset, ...judged.outputs };
    return messageResult(
      step,
      'SEND',
      `${channelKey({ ...target, address: built.address })}@${sent.partition}:${sent.offset}`,
      {
        ...judged,
        outputs,
      },
    );
  }

  // ------------------------------------------------------------------ receive

  async receive(step: PlanStep): Promise<StepResult> {
    const count = this.state.countExecution(step.stepId);
    this.state.startStep(step.stepId);
    const waitId = `${step.stepId}#${count}`;
    const context = this.state.context();
    // A receive's `in: path` parameters fill its channel address (a receive sends nothing else).
    const { address } = asBuildFailure(() => buildMessage({ ...step, requestBody: undefined }, context, this.strict));
    const correlation = this.correlationOf(step, context);
    const target = this.target(step);
    const open: OpenWait = { waitId, step, context, address, correlation };
    this.open = open;
    const began = Date.now();
    const channel = channelKey({ ...target, address });
    // A reply window the send before this step recorded is where this wait begins (then it is used up).
    const from = this.state.record.replyWindows?.[channel];
    if (from) delete this.state.record.replyWindows![channel];
    const { start } = await beginMessageWait.executeWithOptions(
      { activityId: `${waitId}:begin`, summary: `${step.stepId}: wait for a message on ${channel}` },
      [{ target, wait: { waitId, address, ...(correlation ? { correlation } : {}) }, ...(from ? { from } : {}) }],
    );
    const info = workflowInfo();
    open.wait = {
      workflowId: info.workflowId,
      runId: info.runId,
      waitId,
      protocol: target.protocol,
      host: target.host,
      address,
      start,
      ...(correlation ? { correlation } : {}),
    };
    const timeoutMs = step.timeoutMs;
    const remaining = timeoutMs === undefined ? undefined : Math.max(0, timeoutMs - (Date.now() - began));
    this.state.setWaitingForMessage(
      {
        stepId: step.stepId,
        channel,
        correlationId: correlation?.value,
        since: new Date(began).toISOString(),
        until: timeoutMs === undefined ? undefined : new Date(began + timeoutMs).toISOString(),
      },
      waitId,
    );
    let arrived = true;
    if (remaining === undefined) await condition(() => !!open.accepted);
    else arrived = await condition(() => !!open.accepted, remaining);
    // The wait is closed whatever ended it: a message proposed after its timeout is refused (`ended`), not
    // recorded for a step that has already failed.
    this.open = undefined;
    this.state.setWaitingForMessage(undefined);
    if (!arrived || !open.accepted) return timedOut(step, channel, timeoutMs ?? 0);
    const message = open.accepted;
    const judged = judgeMessage(step, { ...context, message: { headers: message.headers, payload: message.payload } });
    return messageResult(step, 'RECEIVE', `${channel}@${message.partition}:${message.offset}`, judged);
  }

  /**
   * The channels the `receive` steps after `step` in its workflow wait on: a reply can come before the
   * step that awaits it is active (a sequential walk sends, then waits), so the send records where they
   * stood before producing. Addresses that need values not known yet are left to the receive itself.
   */
  private replyChannelsAfter(step: PlanStep, context: ExpressionContext) {
    const workflow = Object.values(this.settings?.plan.workflows ?? {}).find((w) => w.steps.includes(step));
    const later = workflow ? workflow.steps.slice(workflow.steps.indexOf(step) + 1) : [];
    const replies: Array<{ target: ChannelTarget; address: string }> = [];
    const seen = new Set<string>();
    for (const candidate of later) {
      if (candidate.message?.action !== 'receive') continue;
      let address: string;
      try {
        address = buildMessage({ ...candidate, requestBody: undefined }, context, this.strict).address;
      } catch {
        continue;
      }
      const target = this.target(candidate);
      const key = channelKey({ ...target, address });
      if (seen.has(key)) continue;
      seen.add(key);
      replies.push({ target, address });
    }
    return replies;
  }

  private correlationOf(step: PlanStep, context: ExpressionContext): OpenWait['correlation'] {
    const written = step.message!.correlationId;
    const location = step.message!.channel.message?.correlationIdLocation;
    if (written === undefined || !location) return undefined;
    const parsed = parseValueTemplate(written, { strict: this.strict });
    if (!parsed.ok) throw buildFailure(step, `correlationId: ${parsed.error.message}`);
    const value = evaluateTemplate(parsed.value, context);
    if (value === undefined || value === null) {
      throw buildFailure(step, `correlationId ${JSON.stringify(written)} has no value; nothing was awaited`);
    }
    return { location, value: typeof value === 'string' ? value : stringifyEmbedded(value) };
  }

  /** The validator: everything a proposal must be to become this step's message (throws why not). */
  private check({ waitId, message }: DeliverMessageArgs): void {
    const open = this.open;
    if (!open || open.waitId !== waitId || open.accepted) throw new Error(`ended: no open wait ${waitId}`);
    if (!open.wait) throw new Error(`not-ready: wait ${waitId} has not recorded where it began`);
    // A validator must not change the run (it does not run again on replay): it only says why not.
    const refuse = (why: string) => new Error(`no-match: ${why}`);
    if (message.address !== open.address) throw refuse(`message is from ${message.address}, not ${open.address}`);
    if (!positionAtOrAfter(message.offset, open.wait.start[String(message.partition)])) {
      throw refuse(`message ${message.partition}:${message.offset} came before the wait began`);
    }
    if (open.correlation && correlationValueOf(open.correlation.location, message) !== open.correlation.value) {
      throw refuse('correlation id differs');
    }
    const verdict = judgeCriteria(
      open.step.successCriteria,
      {
        ...open.context,
        message: { headers: message.headers, payload: message.payload },
      },
      true,
    );
    if (!verdict.passed) throw refuse(`success criteria do not hold: ${verdict.failed?.condition ?? ''}`);
  }

  private accept({ message }: DeliverMessageArgs): 'accepted' {
    if (this.open) this.open.accepted = message;
    return 'accepted';
  }
}

function messageResult(
  step: PlanStep,
  method: 'SEND' | 'RECEIVE',
  url: string,
  judged: ReturnType<typeof judgeMessage>,
): StepResult {
  return {
    stepId: step.stepId,
    method,
    url,
    statusCode: 0,
    successful: judged.successful,
    failedCriterion: judged.failedCriterion
      ? { condition: judged.failedCriterion.condition, explanation: judged.failedCriterion.explanation }
      : undefined,
    outputs: judged.outputs,
    unresolvedOutputs: judged.unresolvedOutputs,
    matched: judged.matched,
    durationMs: 0,
    attempt: 1,
  };
}

/** No accepted message within the step's `timeout`: the step fails and its onFailure actions apply. */
function timedOut(step: PlanStep, channel: string, afterMs: number): StepResult {
  return {
    stepId: step.stepId,
    method: 'RECEIVE',
    url: channel,
    statusCode: 0,
    successful: false,
    outputs: {},
    unresolvedOutputs: [],
    // Failure actions without criteria apply; those with criteria cannot hold (there is no message).
    matched: { success: [], failure: step.actions.failure.map((a) => a.criteria.length === 0) },
    durationMs: afterMs,
    attempt: 1,
    timedOut: { afterMs },
  };
}

function buildFailure(step: PlanStep, message: string) {
  return ApplicationFailure.create({
    type: 'RequestBuildError',
    message: `step ${step.stepId}: ${message}`,
    nonRetryable: true,
  });
}

function asBuildFailure<T>(build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (err instanceof RequestBuildError) {
      throw ApplicationFailure.create({ type: 'RequestBuildError', message: err.message, nonRetryable: true });
    }
    throw err;
  }
}

/** A secret reference is resolved only by the HTTP step activity; a message would carry the reference itself. */
function refuseSecretReferences(step: PlanStep, built: { headers: unknown; payload: unknown }) {
  if (JSON.stringify([built.headers, built.payload]).includes('"$secret"')) {
    throw buildFailure(step, 'a message cannot carry a secret; deliver it to a sink and send its name instead');
  }
}
