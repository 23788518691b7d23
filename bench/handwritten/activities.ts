// The hand-written baseline's activities: what a Temporal user would write for the Prisma rotation
// without Arazzo. One activity per HTTP call (undici, like our runStep), each returning only the
// fields the workflow needs, each checking the same success criteria as the Arazzo document.
// `hwPinnedPlan` and `hwGetDatabase`'s lock are only for the variant keeping the product's promises
// (promised-workflow.ts).
import { activityInfo, ApplicationFailure, getClient } from '@temporalio/activity';
import { request } from 'undici';
import type { LoadPlanInput, LoadPlanResult } from '../../src/activities/load-plan.js';
import { confirmLockHeld } from '../../src/activities/lock-held.js';

export interface PrismaTarget {
  baseUrl: string;
  apiToken: string;
}

interface Answer {
  status: number;
  body: any;
}

async function call(target: PrismaTarget, method: string, path: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${target.apiToken}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await request(`${target.baseUrl}${path}`, {
    method: method as never,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: text ? JSON.parse(text) : undefined };
}

function fail(what: string, answer: Answer): never {
  throw ApplicationFailure.nonRetryable(`${what}: HTTP ${answer.status}`, 'StepFailed');
}

const id = encodeURIComponent;

export interface HandwrittenActivityDeps {
  /** The interpreter's plan loading (src/activities/load-plan.ts), for the plan the promised variant pins. */
  loadPlan(input: LoadPlanInput): Promise<LoadPlanResult>;
}

export function createHandwrittenActivities(deps: HandwrittenActivityDeps) {
  // The interpreter's load result per document, loaded once: the promised variant's floor pays for pinning
  // the plan (its local activity, its marker, its payload), not for loading it, which is the interpreter's work.
  const pinned = new Map<string, Promise<LoadPlanResult>>();
  return {
    async hwPinnedPlan(
      document: string,
      servers: Record<string, string>,
      inputs: Record<string, unknown>,
    ): Promise<LoadPlanResult> {
      let loading = pinned.get(document);
      if (!loading) {
        loading = deps.loadPlan({ document, servers, inputs });
        pinned.set(document, loading);
        loading.catch(() => pinned.delete(document));
      }
      return loading;
    },
    /** With `lockWorkflowId`: sends nothing before that lock is confirmed held by this run. */
    async hwGetDatabase(
      t: PrismaTarget,
      databaseId: string,
      lockWorkflowId?: string,
    ): Promise<{ status: string; name: string }> {
      if (lockWorkflowId) {
        await confirmLockHeld(getClient(), lockWorkflowId, activityInfo().workflowExecution?.runId ?? '');
      }
      const a = await call(t, 'GET', `/databases/${id(databaseId)}`);
      if (a.status !== 200 || a.body?.data?.status !== 'ready') fail('getDatabase', a);
      return { status: a.body.data.status, name: a.body.data.name };
    },
    async hwGetConnection(t: PrismaTarget, connectionId: string, databaseId: string): Promise<{ name: string }> {
      const a = await call(t, 'GET', `/connections/${id(connectionId)}`);
      if (a.status !== 200 || a.body?.data?.id !== connectionId || a.body?.data?.database?.id !== databaseId) {
        fail('getConnection', a);
      }
      return { name: a.body.data.name };
    },
    async hwCreateConnection(
      t: PrismaTarget,
      databaseId: string,
      name: string,
    ): Promise<{ id: string; connectionString: string }> {
      const a = await call(t, 'POST', `/databases/${id(databaseId)}/connections`, { name });
      const connectionString = a.body?.data?.endpoints?.direct?.connectionString;
      if (a.status !== 200 || !connectionString) fail('createConnection', a);
      return { id: a.body.data.id, connectionString };
    },
    async hwDeleteConnection(t: PrismaTarget, connectionId: string): Promise<void> {
      const a = await call(t, 'DELETE', `/connections/${id(connectionId)}`);
      if (a.status !== 204) fail('deleteConnection', a);
    },
  };
}

export type HandwrittenActivities = ReturnType<typeof createHandwrittenActivities>;
