// The contract between a run waiting at a `receive` step and the channel listener that feeds it
// (src/channels/listener.ts). The run owns the record of its wait (where it began, what it matches);
// the listener only proposes messages, and the run's validator decides. Imported by both sides.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ChannelPosition, ReceivedMessage } from '../channels/binding.js';

/** One wait of one run: what the listener needs to find its messages. */
export interface MessageWait {
  workflowId: string;
  runId: string;
  /** `<stepId>#<execution>`: a later execution of the same step is another wait. */
  waitId: string;
  protocol: string;
  host: string;
  address: string;
  /** Per partition, the first position the wait considers: where the channel ended when the step became active. */
  start: ChannelPosition;
  /** Only messages whose value at `location` equals `value` are candidates. */
  correlation?: { location: string; value: string };
}

export interface DeliverMessageArgs {
  waitId: string;
  message: ReceivedMessage;
}

/**
 * Why a run refused a proposed message, as the first word of the update's failure message, so the
 * listener knows what to do: `not-ready` (the run has not recorded where its wait began yet: try again
 * shortly), `no-match` (not this wait's message: forget the proposal, keep the wait), `ended` (no such
 * wait is open any more: drop the wait).
 */
export type DeliveryRefusal = 'not-ready' | 'no-match' | 'ended';

/** The listener proposes a message; the run accepts it (`accepted`) or refuses it with a DeliveryRefusal. */
export const deliverMessageUpdate = defineUpdate<'accepted', [DeliverMessageArgs]>('deliverMessage');

/** The run's open waits (at most one: a run walks one step at a time). */
export const messageWaitsQuery = defineQuery<MessageWait[]>('messageWaits');

export { ArazzoWaitingOn } from './contract.js';

export function channelKey(wait: Pick<MessageWait, 'protocol' | 'host' | 'address'>): string {
  return `${wait.protocol}://${wait.host}/${wait.address}`;
}
