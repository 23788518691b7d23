// The harness itself: a real worker on a unique task queue runs a workflow whose one activity makes a
// real HTTP call over loopback, against the real dev server started by global-setup.ts.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as activities from '../support/fixture-activities.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';

describe('test harness', () => {
  let env: TemporalTestEnv;
  let http: Server;
  let url: string;

  beforeAll(async () => {
    env = await connectTestEnv();
    http = createServer((_req, res) => {
      res.statusCode = 207;
      res.end('multi');
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await env?.close();
    await new Promise((r) => http?.close(r));
  });

  it('runs a workflow with one real activity and records it in history', async () => {
    const taskQueue = env.uniqueTaskQueue('harness');
    const worker = await env.createWorker({ taskQueue, activities });
    const result = await worker.runUntil(async () => {
      const handle = await env.client.workflow.start('fetchStatusWorkflow', {
        taskQueue,
        workflowId: `harness-${taskQueue}`,
        args: [url],
      });
      const value = await handle.result();
      const history = await handle.fetchHistory();
      return { value, history };
    });
    expect(result.value).toBe('status 207');
    const events = result.history.events ?? [];
    const scheduled = events.filter((e) => e.activityTaskScheduledEventAttributes);
    const completed = events.filter((e) => e.activityTaskCompletedEventAttributes);
    expect(scheduled.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)).toEqual(['fetchStatus']);
    expect(completed).toHaveLength(1);
    expect(events.some((e) => e.workflowExecutionCompletedEventAttributes)).toBe(true);
  });
});
