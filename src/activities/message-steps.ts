// The two activities of Arazzo 1.1 channel steps. Both are short: a `receive` step holds no activity
// while it waits (the run waits in Temporal; the channel listener feeds it, src/channels/listener.ts).
//  - sendMessage: produces the message the workflow built (its input is the run's record of what was
//    sent). Retried by Temporal: a retry after a lost acknowledgement can produce the message again, so
//    every message carries `arazzo-message-id`, stable across attempts, for consumers to drop repeats.
//  - beginMessageWait: records where the channel ends now (the wait's start, in history as its result)
//    and hands the wait to this worker's listener at once (discovery would find it a moment later).
import { ApplicationFailure, activityInfo } from '@temporalio/activity';
import type { ChannelPosition, MessageBindings, OutgoingMessage, SentMessage } from '../channels/binding.js';
import type { ChannelListener } from '../channels/listener.js';
import { hostMatches, normalizeHost } from '../arazzo/request/hosts.js';
import { channelKey, type MessageWait } from '../workflows/message-contract.js';
import type { WorkerPolicy } from './config.js';

export interface ChannelTarget {
  protocol: string;
  host: string;
  /** The host the plan's AsyncAPI server names; any other host must be allowed by the worker. */
  describedHost: string;
}

export interface SendMessageInput {
  /** Stable across the activity's attempts: `<workflow id>/<first run id>/<stepId>#<execution>`. */
  messageId: string;
  target: ChannelTarget;
  message: OutgoingMessage;
  /**
   * Channels a later `receive` of the run waits on (replies): their positions are read before the message
   * is produced, so a reply that comes before the receive step is active still counts.
   */
  replyChannels?: Array<{ target: ChannelTarget; address: string }>;
}

export interface SendMessageResult extends SentMessage {
  /** Per reply channel (`<protocol>://<host>/<address>`), where it stood before the message was produced. */
  replyWindows?: Record<string, ChannelPosition>;
}

export interface BeginMessageWaitInput {
  target: ChannelTarget;
  wait: Omit<MessageWait, 'start' | 'runId' | 'workflowId' | 'protocol' | 'host'>;
  /** Where the wait begins, when the run recorded it already (a reply window of the send before it). */
  from?: ChannelPosition;
}

export interface MessageActivities {
  sendMessage(input: SendMessageInput): Promise<SendMessageResult>;
  beginMessageWait(input: BeginMessageWaitInput): Promise<{ start: ChannelPosition }>;
}

/** What a worker needs to run channel steps: its bindings, and the listener that feeds its waits. */
export interface ChannelRuntime {
  bindings: MessageBindings;
  listener?: ChannelListener;
}

export function makeMessageActivities(policy: WorkerPolicy, channels: ChannelRuntime | undefined): MessageActivities {
  function bindingFor(target: ChannelTarget) {
    if (!channels) {
      throw ApplicationFailure.create({
        type: 'ChannelNotAvailable',
        message: 'this worker runs no message bindings (channel steps need a worker started with them)',
        nonRetryable: true,
      });
    }
    checkHost(policy, target);
    try {
      return channels.bindings.get(target.protocol);
    } catch (err) {
      throw ApplicationFailure.create({
        type: 'ChannelNotAvailable',
        message: String((err as Error).message),
        nonRetryable: true,
      });
    }
  }

  return {
    async sendMessage(input) {
      const binding = bindingFor(input.target);
      const headers = { ...input.message.headers, 'arazzo-message-id': input.messageId };
      const replyWindows: Record<string, ChannelPosition> = {};
      for (const reply of input.replyChannels ?? []) {
        const position = await bindingFor(reply.target).positionNow(reply.target.host, reply.address);
        replyWindows[channelKey({ ...reply.target, address: reply.address })] = position;
      }
      const sent = await binding.send(input.target.host, { ...input.message, headers });
      return input.replyChannels?.length ? { ...sent, replyWindows } : sent;
    },

    async beginMessageWait(input) {
      const binding = bindingFor(input.target);
      const start = input.from ?? (await binding.positionNow(input.target.host, input.wait.address));
      const run = runOf();
      const wait: MessageWait = {
        ...input.wait,
        workflowId: run.workflowId,
        runId: run.runId,
        protocol: input.target.protocol,
        host: input.target.host,
        start,
      };
      await channels?.listener?.addWait(wait);
      return { start };
    },
  };
}

function runOf(): { workflowId: string; runId: string } {
  const execution = activityInfo().workflowExecution;
  if (!execution)
    throw ApplicationFailure.create({ message: 'channel steps run only inside a workflow', nonRetryable: true });
  return execution;
}

/** A run's `servers` override may point a channel elsewhere only where the worker allows servers. */
function checkHost(policy: WorkerPolicy, target: ChannelTarget) {
  if (normalizeHost(target.host) === normalizeHost(target.describedHost)) return;
  const hostname = target.host.replace(/:\d+$/, '');
  if (policy.allowedServerHosts.some((pattern) => hostMatches(hostname, pattern))) return;
  throw ApplicationFailure.create({
    type: 'InvalidServerOverride',
    message: `channel host ${target.host} is not among the worker's allowed server hosts (ARAZZO_ALLOWED_SERVER_HOSTS)`,
    nonRetryable: true,
  });
}
