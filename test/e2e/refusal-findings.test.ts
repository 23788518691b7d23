// What is wrong with a refused document reaches the person: `start` of an invalid document prints its
// findings (file:line:column, as `check` does) and exits 1 without contacting Temporal; a run the worker
// refuses shows the findings in its failure and in the Web UI's current details (the SDK's metadata
// query, which is what the UI shows there).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startRun, startWorker, testPolicy } from '../support/rotation.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';

const root = mkdtempSync(join(tmpdir(), 'arazzo-refusals-'));
const api = `openapi: 3.1.0
info: {title: items, version: '1'}
servers: [{url: 'http://127.0.0.1:9/'}]
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: the item
          content: {application/json: {schema: {type: object, properties: {name: {type: string}}}}}
`;
const doc = (operationId: string, status: number) => `arazzo: 1.0.1
info: {title: items, version: 1.0.0}
sourceDescriptions:
  - {name: items, url: ./items.openapi.yaml, type: openapi}
workflows:
  - workflowId: read-item
    steps:
      - stepId: read
        operationId: ${operationId}
        parameters: [{name: id, in: path, value: i1}]
        successCriteria: [{condition: $statusCode == ${status}}]
`;
writeFileSync(join(root, 'items.openapi.yaml'), api);
writeFileSync(join(root, 'invalid.arazzo.yaml'), doc('getItme', 200));
writeFileSync(join(root, 'preflight.arazzo.yaml'), doc('getItem', 201));

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('start of an invalid document', () => {
  let temporal: Server;
  let connections = 0;
  let address = '';
  beforeAll(async () => {
    temporal = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => temporal.listen(0, '127.0.0.1', resolve));
    const bound = temporal.address();
    if (!bound || typeof bound === 'string') throw new Error('no port');
    address = `127.0.0.1:${bound.port}`;
  });
  afterAll(() => new Promise<void>((resolve) => temporal.close(() => resolve())));

  it('prints its findings with their locations and exits 1; Temporal is never contacted', async () => {
    const { code, stdout, stderr } = await runCli(
      ['start', join(root, 'invalid.arazzo.yaml'), '--document-root', root, '--task-queue', 'never'],
      { env: { TEMPORAL_ADDRESS: address } },
    );
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^error: .*invalid\.arazzo\.yaml is not a valid Arazzo document \(1 error\); no run was started:$/m,
    );
    expect(stderr).toMatch(/invalid\.arazzo\.yaml:9:22 error \[[a-z-]+\] .*getItme/);
    expect(stderr).toMatch(/did you mean "?getItem/);
    expect(stderr).toMatch(/^hint: run: arazzo-temporal check /m);
    expect(connections).toBe(0);
  });
});

describe('check --explain and --ignore', () => {
  it('explains a rule and how to silence it for one step; --ignore <stepId>:<code> silences only that', async () => {
    const explained = await runCli(['check', '--explain', 'preflight-undeclared-status']);
    expect(explained.code).toBe(0);
    expect(explained.stdout).toMatch(/^preflight-undeclared-status \(error\)\n/);
    expect(explained.stdout).toContain('x-preflight-ignore: [preflight-undeclared-status]');
    expect(explained.stdout).toContain('--ignore <stepId>:preflight-undeclared-status');
    const doc = join(root, 'preflight.arazzo.yaml');
    const refused = await runCli(['check', doc]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/error \[preflight-undeclared-status\]/);
    const silenced = await runCli(['check', doc, '--ignore', 'read:preflight-undeclared-status']);
    expect(silenced.stdout).not.toMatch(/preflight-undeclared-status/);
    expect(silenced.code).toBe(0);
    const typo = await runCli(['check', doc, '--ignore', 'raed:preflight-undeclared-status']);
    expect(typo.code).toBe(1);
    expect(typo.stdout).toMatch(
      /error \[preflight-ignore-unknown\] ignore "raed:preflight-undeclared-status" silences nothing: no step is called raed/,
    );
    expect(typo.stdout).toMatch(/error \[preflight-undeclared-status\]/);
  });
});

describe('a run the worker refuses', () => {
  let env: TemporalTestEnv;
  let worker: Worker;
  let running: Promise<void>;
  let taskQueue: string;
  beforeAll(async () => {
    env = await connectTestEnv();
    taskQueue = env.uniqueTaskQueue('refusals');
    worker = await startWorker(env, taskQueue, testPolicy({ documentRoot: root }));
    running = worker.run();
  });
  afterAll(async () => {
    worker.shutdown();
    await running;
    await env.close();
  });

  it.each([
    ['invalid.arazzo.yaml', 'InvalidDocument', /invalid\.arazzo\.yaml:9:22 error \[[a-z-]+\] .*getItme/],
    [
      'preflight.arazzo.yaml',
      'PreflightFailed',
      /preflight\.arazzo\.yaml:11:\d+ error \[preflight-undeclared-status\] expects 201, but getItem declares 200/,
    ],
  ])('%s: the findings are in its failure and in its current details', async (file, type, finding) => {
    const handle = await startRun(env, taskQueue, { document: file, workflowId: 'read-item' }, `${taskQueue}-${type}`);
    const failure = await handle.result().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause?.cause as { type?: string; message: string };
    expect(cause.type).toBe(type);
    expect(cause.message).toMatch(finding);
    const metadata = (await handle.query('__temporal_workflow_metadata')) as { currentDetails?: string };
    expect(metadata.currentDetails).toContain('### Refused by the worker; no request was sent');
    expect(metadata.currentDetails).toContain(`${type}: `);
    expect(metadata.currentDetails).toMatch(finding);
    expect(metadata.currentDetails).toMatch(/state \*\*failed\*\*/);
  });

  it("a run input's preflightIgnore reaches pre-flight: an entry naming no step is refused with its finding", async () => {
    const handle = await startRun(
      env,
      taskQueue,
      {
        document: 'preflight.arazzo.yaml',
        workflowId: 'read-item',
        preflightIgnore: ['raed:preflight-undeclared-status'],
      },
      `${taskQueue}-ignore`,
    );
    const failure = await handle.result().then(
      () => undefined,
      (err: unknown) => err,
    );
    const cause = (failure as WorkflowFailedError).cause?.cause as { type?: string; message: string };
    expect(cause.type).toBe('PreflightFailed');
    expect(cause.message).toMatch(/error \[preflight-ignore-unknown\] ignore "raed:preflight-undeclared-status"/);
  });
});
