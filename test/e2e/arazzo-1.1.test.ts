// Arazzo 1.1 end to end: every new object and field a run uses (Selector Objects with the three
// expression types, Expression Type Objects, targetSelectorType, `in: querystring`, `$self`, step
// `timeout`, workflow-input mapping of a goto action) against a real loopback server, asserting the
// requests it received and the run's outputs exactly.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressQuery } from '../../src/workflows/contract.js';
import { type RecordingServer, requestSummary, startRecordingServer } from '../support/recording-server.js';
import { startRun, startWorker, testPolicy } from '../support/rotation.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

const INVOICE =
  '<Invoice><Header><InvoiceNumber>INV-42</InvoiceNumber></Header><Line amount="10">food</Line><Line amount="2.5">toy</Line></Invoice>';

describe('Arazzo 1.1 runs', () => {
  let env: TemporalTestEnv;
  let server: RecordingServer;
  beforeAll(async () => {
    env = await connectTestEnv();
    server = await startRecordingServer({
      'GET /store/invoices/inv-1': () => ({ contentType: 'application/xml', body: INVOICE }),
      'GET /store/pets/p-7': () => ({
        body: JSON.stringify({
          name: 'Rex',
          species: 'dog',
          tags: ['good', 'loud'],
          vaccinations: [
            { name: 'rabies', done: true },
            { name: 'flu', done: false },
          ],
        }),
      }),
      'POST /store/orders': () => ({ status: 201, body: JSON.stringify({ orderId: 'o-99' }) }),
      'POST /store/orders.xml': () => ({ status: 201, body: '{}' }),
      'GET /store/search': () => ({ body: JSON.stringify({ matches: ['Rex', 'Fido'] }) }),
      'GET /store/slow': () => ({ delayMs: 5_000, body: '{}' }),
      'GET /store/pets/slow-Rex': () => ({ body: JSON.stringify({ name: 'Fallback Rex' }) }),
    });
  });
  afterAll(async () => {
    await server?.close();
    await env?.close();
  });

  async function run(document: string, workflowId: string, inputs: Record<string, unknown>) {
    const taskQueue = env.uniqueTaskQueue(workflowId);
    const worker = await startWorker(env, taskQueue, testPolicy({ documentRoot: repoRoot }));
    const before = server.received.length;
    const outcome = await worker.runUntil(async () => {
      const handle = await startRun(env, taskQueue, {
        document,
        workflowId,
        inputs,
        servers: { store: `${server.url}/store` },
      });
      const result = await handle.result();
      const history = await handle.fetchHistory();
      const scheduled = new Map<string, { activityId: string; scheduleToCloseTimeout: string }>();
      const timedOut: Array<{ activityId: string; scheduleToCloseTimeout: string }> = [];
      for (const event of history.events ?? []) {
        const attributes = event.activityTaskScheduledEventAttributes;
        if (attributes?.scheduleToCloseTimeout) {
          const seconds = Number(attributes.scheduleToCloseTimeout.seconds ?? 0);
          const nanos = Number(attributes.scheduleToCloseTimeout.nanos ?? 0);
          scheduled.set(String(event.eventId), {
            activityId: attributes.activityId ?? '',
            scheduleToCloseTimeout: `${(seconds + nanos / 1e9).toFixed(3)}s`,
          });
        }
        const timeout = event.activityTaskTimedOutEventAttributes;
        if (timeout) {
          const found = scheduled.get(String(timeout.scheduledEventId));
          if (found) timedOut.push(found);
        }
      }
      return { result, progress: await handle.query(progressQuery), timedOut };
    });
    return { ...outcome, received: server.received.slice(before) };
  }

  it('selectors (XPath 3.1/3.0/1.0 on XML, JSON Pointer and JSONPath on JSON), targetSelectorType, querystring, $self', async () => {
    const document = 'test/fixtures/arazzo-1.1/selectors.arazzo.yaml';
    const { result, received } = await run(document, 'selectors', {
      petId: 'unused',
      invoiceId: 'inv-1',
      customer: { id: 'c-1', name: 'Ada & Co', pets: ['p-7'] },
    });
    expect(result.status).toBe('completed');
    expect(result.outputs).toEqual({
      invoiceNumber: 'INV-42',
      invoiceTotal: 12.5,
      doubled: '20,5',
      firstLine: 'food',
      petName: 'Rex',
      tags: ['good', 'loud'],
      vaccinated: 'rabies',
      orderId: 'o-99',
      firstMatch: 'Rex',
      secondMatch: 'Fido',
      firstTag: 'good',
    });
    expect(received.map((r) => requestSummary(r, ['content-type', 'x-customer', 'x-arazzo-self']))).toEqual([
      { method: 'GET', url: '/store/invoices/inv-1', headers: {}, body: '' },
      { method: 'GET', url: '/store/pets/p-7', headers: {}, body: '' },
      {
        method: 'POST',
        url: '/store/orders',
        headers: { 'content-type': 'application/json', 'x-customer': 'c-1' },
        body: '{"invoice":"INV-42","pet":"Rex","quantity":2,"items":[{"sku":"A","qty":1},{"sku":"B","qty":5}]}',
      },
      {
        method: 'POST',
        url: '/store/orders.xml',
        headers: { 'content-type': 'application/xml' },
        body: '<order ref="o-99"><customer>Ada &amp; Co</customer><pet>Rex</pet></order>',
      },
      {
        method: 'GET',
        url: '/store/search?species=dog&sort=name%20desc',
        // `$self: selectors.arazzo.yaml`, resolved against where the worker read the document.
        headers: { 'x-arazzo-self': resolve(repoRoot, 'test/fixtures/arazzo-1.1/selectors.arazzo.yaml') },
        body: '',
      },
    ]);
  });

  it('a step timeout is a Temporal timeout: the step fails, its onFailure goto runs the workflow with the mapped inputs', async () => {
    const { result, progress, received, timedOut } = await run(
      'test/fixtures/arazzo-1.1/timeout.arazzo.yaml',
      'slowThenFallback',
      { petId: 'p-7' },
    );
    expect(result.status).toBe('completed');
    // goto a workflow transfers control: the run ends with the target's outputs.
    expect(result.outputs).toEqual({ name: 'Fallback Rex', reason: 'slow' });
    expect(received.map((r) => requestSummary(r))).toEqual([
      { method: 'GET', url: '/store/pets/p-7', headers: {}, body: '' },
      { method: 'GET', url: '/store/slow', headers: {}, body: '' },
      { method: 'GET', url: '/store/pets/slow-Rex', headers: {}, body: '' },
    ]);
    expect(progress.steps.find((s) => s.stepId === 'slow')).toMatchObject({
      status: 'failed',
      message: "timed out after 500 ms (the step's timeout)",
    });
    // The server timed the activity out (schedule-to-close = the step's timeout), not a timer in it.
    expect(timedOut).toEqual([{ activityId: 'slow', scheduleToCloseTimeout: '0.500s' }]);
  });

  it('step dependsOn: met in order; a goto that skips the step depended on fails the run before its request', async () => {
    const document = 'test/fixtures/arazzo-1.1/depends-on.arazzo.yaml';
    const ordered = await run(document, 'ordered', {});
    expect(ordered.result).toMatchObject({ status: 'completed', outputs: { name: 'Rex' } });
    expect(ordered.received.map((r) => r.url)).toEqual(['/store/pets/p-7', '/store/pets/p-7']);

    const before = server.received.length;
    const skipping = await run(document, 'skipping', {}).catch((error: Error) => error);
    expect(skipping).toBeInstanceOf(Error);
    expect(String((skipping as Error & { cause?: Error }).cause?.message)).toBe(
      'step third depends on second, which did not complete in this run; nothing was sent',
    );
    // Only the first step's request: the third was refused before sending.
    expect(server.received.slice(before).map((r) => r.url)).toEqual(['/store/pets/p-7']);
  });
});
