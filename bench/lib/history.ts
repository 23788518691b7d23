// A run's history as the server stores it: how many events and how many bytes (protobuf-encoded).
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

const { temporal } = proto;

export interface HistoryStats {
  events: number;
  bytes: number;
  /** Event counts by type, e.g. `ACTIVITY_TASK_SCHEDULED: 5`. */
  byType: Record<string, number>;
  /** Bytes by event type (where the size goes). */
  bytesByType: Record<string, number>;
  /** Payload bytes of activity inputs and results, by activity type (what each activity puts in history). */
  activityPayloadBytes: Record<string, { input: number; result: number; count: number }>;
}

const History = temporal.api.history.v1.History;
const HistoryEvent = temporal.api.history.v1.HistoryEvent;
const EventType = temporal.api.enums.v1.EventType;
const Payloads = temporal.api.common.v1.Payloads;

const payloadBytes = (p: proto.temporal.api.common.v1.IPayloads | null | undefined) =>
  p ? Payloads.encode(p).finish().length : 0;

export async function historyStats(client: Client, workflowId: string): Promise<HistoryStats> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const byType: Record<string, number> = {};
  const bytesByType: Record<string, number> = {};
  const activityPayloadBytes: HistoryStats['activityPayloadBytes'] = {};
  const activityTypes = new Map<string, string>();
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) {
      const type = scheduled.activityType?.name ?? '?';
      activityTypes.set(String(event.eventId), type);
      activityPayloadBytes[type] ??= { input: 0, result: 0, count: 0 };
      activityPayloadBytes[type].input += payloadBytes(scheduled.input);
      activityPayloadBytes[type].count += 1;
    }
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed) {
      const type = activityTypes.get(String(completed.scheduledEventId)) ?? '?';
      activityPayloadBytes[type] ??= { input: 0, result: 0, count: 0 };
      activityPayloadBytes[type].result += payloadBytes(completed.result);
    }
    const name = (EventType[event.eventType ?? 0] ?? String(event.eventType)).replace(/^EVENT_TYPE_/, '');
    byType[name] = (byType[name] ?? 0) + 1;
    bytesByType[name] = (bytesByType[name] ?? 0) + HistoryEvent.encode(event).finish().length;
  }
  return {
    events: history.events?.length ?? 0,
    bytes: History.encode(history).finish().length,
    byType,
    bytesByType,
    activityPayloadBytes,
  };
}

const timestampMs = (t: proto.google.protobuf.ITimestamp | null | undefined) =>
  t ? Number(t.seconds ?? 0) * 1000 + (t.nanos ?? 0) / 1e6 : Number.NaN;

/**
 * The last activity of a type, from the moment a worker picked it up to the moment the server recorded
 * its completion (the step's own time: request, response, judging, reporting the result).
 */
export async function activityStartToCloseMs(client: Client, workflowId: string, activityType: string) {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const scheduled = new Set<string>();
  const started = new Map<string, number>();
  let span = Number.NaN;
  for (const event of history.events ?? []) {
    const s = event.activityTaskScheduledEventAttributes;
    if (s && s.activityType?.name === activityType) scheduled.add(String(event.eventId));
    const st = event.activityTaskStartedEventAttributes;
    if (st && scheduled.has(String(st.scheduledEventId)))
      started.set(String(st.scheduledEventId), timestampMs(event.eventTime));
    const c = event.activityTaskCompletedEventAttributes;
    if (c && started.has(String(c.scheduledEventId)))
      span = timestampMs(event.eventTime) - started.get(String(c.scheduledEventId))!;
  }
  return span;
}
