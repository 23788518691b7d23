// Defect: a step whose workflowId is `$sourceDescriptions.<name>.<workflowId>` (a workflow of an
// `arazzo` source) passed `check` but failed at run time ("referenced but not defined"). Such a
// workflow runs as a child workflow like a local one, with its parameters as inputs and its outputs
// back, calling its own source's operations; in Arazzo 1.0 and 1.1. The API is a real loopback server.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordingServer, requestSummary, startRecordingServer } from '../support/recording-server.js';
import { startRun, startWorker, testPolicy } from '../support/rotation.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

describe('workflows of an arazzo source description', () => {
  let env: TemporalTestEnv;
  let server: RecordingServer;
  beforeAll(async () => {
    env = await connectTestEnv();
    server = await startRecordingServer({
      'GET /store/pets/p-7': () => ({ body: JSON.stringify({ name: 'Rex', species: 'dog' }) }),
    });
  });
  afterAll(async () => {
    await server?.close();
    await env?.close();
  });

  it.each(['1.0', '1.1'])('run as child workflows with their parameters and outputs (Arazzo %s)', async (version) => {
    const taskQueue = env.uniqueTaskQueue(`sources-${version.replace('.', '')}`);
    const worker = await startWorker(env, taskQueue, testPolicy({ documentRoot: repoRoot }));
    const before = server.received.length;
    const { result, children } = await worker.runUntil(async () => {
      const handle = await startRun(env, taskQueue, {
        document: `test/fixtures/arazzo-1.1/pets-from-source-${version}.arazzo.yaml`,
        inputs: { petId: 'p-7' },
        // The source's own source is named through the arazzo source: `<arazzo source>.<its source>`.
        servers: { 'shared.store': `${server.url}/store` },
      });
      const value = await handle.result();
      const history = await handle.fetchHistory();
      const started = (history.events ?? []).flatMap((e) => {
        const attributes = e.startChildWorkflowExecutionInitiatedEventAttributes;
        return attributes ? [attributes.workflowType?.name] : [];
      });
      return { result: value, children: started };
    });
    expect(result.status).toBe('completed');
    expect(result.outputs).toEqual({ petName: 'Rex' });
    expect(children).toEqual(['arazzoRun']);
    expect(server.received.slice(before).map((r) => requestSummary(r))).toEqual([
      { method: 'GET', url: '/store/pets/p-7', headers: {}, body: '' },
    ]);
  });
});
