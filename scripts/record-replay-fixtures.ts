// Records a set of interpreter histories for replay tests: `npm run replay:record -- <set-name>`.
// A set, once committed, is never re-recorded: CI replays every set ever committed against the current
// workflow code, so a change that would break runs parked for days fails CI (use `patched()`).
//
// It starts its own dev server, the simulators and an in-process worker (no payload codec, so the
// fixtures decode anywhere), then drives scenarios that cover timers, signals, updates, child
// workflows, continue-as-new, operator decisions and cancellation.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Client,
  Connection,
  type WorkflowHandle,
  type WorkflowHandleWithFirstExecutionRunId,
} from '@temporalio/client';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { defaultDocumentRoot } from '../src/activities/config.js';
import { ensureTemporalCli } from './temporal-install.mjs';
import { createActivities } from '../src/activities/index.js';
import { startDevServer } from '../src/devserver/dev-server.js';
import { startDeepgramSimulator, startPrismaSimulator } from '../src/simulators/index.js';
import { progressQuery, WORKFLOW_TYPE } from '../src/workflows/contract.js';
import type { ArazzoRunInput, RunProgress, RunState } from '../src/workflows/types.js';
import { workflowsPath } from '../src/worker.js';
import { startRecordingServer } from '../test/support/recording-server.js';

const setName = process.argv[2];
if (!setName || !/^[a-z0-9-]+$/.test(setName)) {
  console.error('usage: npm run replay:record -- <set-name> (lower-case letters, digits, dashes)');
  process.exit(2);
}
const outDir = fileURLToPath(new URL(`../test/replay/fixtures/${setName}/`, import.meta.url));
if (existsSync(outDir)) {
  console.error(`${outDir} exists: committed fixture sets are never re-recorded; choose a new name`);
  process.exit(2);
}
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

Runtime.install({ logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: (m) => console.error(m) } });
const server = await startDevServer({ port: 0, uiPort: false });
const connection = await Connection.connect({ address: server.address });
const client = new Client({ connection, namespace: server.namespace });
const native = await NativeConnection.connect({ address: server.address });
const taskQueue = `replay-record-${Date.now()}`;
const worker = await Worker.create({
  connection: native,
  namespace: server.namespace,
  taskQueue,
  workflowsPath,
  activities: createActivities({
    documentRoot: repoRoot,
    allowedDocumentHosts: [],
    allowedServerHosts: ['127.0.0.1'],
  }),
});
const prisma = await startPrismaSimulator({ port: 0 });
// Arazzo 1.1 scenarios call a scripted loopback store (test/fixtures/arazzo-1.1/store.openapi.yaml).
const store = await startRecordingServer({
  'GET /store/invoices/inv-1': () => ({
    contentType: 'application/xml',
    body: '<Invoice><Header><InvoiceNumber>INV-42</InvoiceNumber></Header><Line amount="10">food</Line></Invoice>',
  }),
  'GET /store/pets/p-7': () => ({
    body: JSON.stringify({
      name: 'Rex',
      species: 'dog',
      tags: ['good'],
      vaccinations: [{ name: 'rabies', done: true }],
    }),
  }),
  'POST /store/orders': () => ({ status: 201, body: JSON.stringify({ orderId: 'o-99' }) }),
  'POST /store/orders.xml': () => ({ status: 201, body: '{}' }),
  'GET /store/search': () => ({ body: JSON.stringify({ matches: ['Rex', 'Fido'] }) }),
  'GET /store/slow': () => ({ delayMs: 3_000, body: '{}' }),
  'GET /store/pets/slow-Rex': () => ({ body: JSON.stringify({ name: 'Fallback Rex' }) }),
});
const deepgram = await startDeepgramSimulator({ port: 0 });

const PRISMA_DOC = join(defaultDocumentRoot, 'rotations/prisma-rotate-connection.arazzo.yaml').slice(repoRoot.length);
const DEEPGRAM_DOC = join(defaultDocumentRoot, 'rotations/deepgram-rotate-key.arazzo.yaml').slice(repoRoot.length);

function prismaInput(extra: Partial<ArazzoRunInput> = {}): ArazzoRunInput {
  const seeded = prisma.seed();
  return {
    document: PRISMA_DOC,
    inputs: {
      apiToken: seeded.serviceToken,
      databaseId: seeded.databaseId,
      oldConnectionId: seeded.connectionId,
      newName: `replay-${Math.random().toString(36).slice(2, 10)}`,
    },
    servers: { prismaManagementApi: prisma.baseUrl },
    stepTimeout: '3s',
    ...extra,
  };
}

async function start(name: string, input: ArazzoRunInput): Promise<WorkflowHandleWithFirstExecutionRunId> {
  return client.workflow.start(WORKFLOW_TYPE, { taskQueue, workflowId: `replay-${name}-${Date.now()}`, args: [input] });
}

async function waitFor(handle: WorkflowHandle, state: RunState): Promise<RunProgress> {
  for (let i = 0; i < 600; i++) {
    const p = await handle.query(progressQuery).catch(() => undefined);
    if (p?.state === state) return p;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${handle.workflowId} never reached ${state}`);
}

/** File name → the workflow id it ran under (replay must use the same id: child ids derive from it). */
const saved: Record<string, string> = {};
/** The history as `temporal workflow show --output json` prints it (what `historyFromJSON` reads). */
async function save(name: string, handle: WorkflowHandle, runId?: string) {
  const args = ['workflow', 'show', '--address', server.address, '--namespace', server.namespace];
  args.push('--workflow-id', handle.workflowId, '--output', 'json');
  if (runId) args.push('--run-id', runId);
  const shown = spawnSync(ensureTemporalCli(), args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (shown.status !== 0) throw new Error(`temporal workflow show failed: ${shown.stderr}`);
  historyFromJSON(JSON.parse(shown.stdout)); // refuse to write what the replay test could not read
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, `${name}.json`), shown.stdout);
  saved[`${name}.json`] = handle.workflowId;
}

async function settle(handle: WorkflowHandle) {
  await handle.result().catch(() => undefined);
}

const scenarios: Record<string, () => Promise<void>> = {
  async 'prisma-approved-by-update'() {
    const h = await start('approved', prismaInput());
    const p = await waitFor(h, 'awaiting-approval');
    await h.executeUpdate('approve', {
      args: [{ stepId: p.pendingApproval!.stepId, approvalId: p.pendingApproval!.approvalId, by: 'replay' }],
    });
    await settle(h);
    await save('prisma-approved-by-update', h);
  },
  async 'prisma-rejected-compensated-by-signal'() {
    const h = await start('compensated', prismaInput());
    await waitFor(h, 'awaiting-approval');
    await h.signal('approve', { stepId: 'createConnection', by: 'ignored' });
    await h.signal('reject', { stepId: 'revokeOldConnection', by: 'replay', reason: 'test', compensate: true });
    await settle(h);
    await save('prisma-rejected-compensated-by-signal', h);
  },
  async 'prisma-approval-expired'() {
    const h = await start('expired', prismaInput({ approval: { timeout: '2s' } }));
    await settle(h);
    await save('prisma-approval-expired', h);
  },
  async 'prisma-cancelled'() {
    const h = await start('cancelled', prismaInput());
    await waitFor(h, 'awaiting-approval');
    await h.cancel();
    await settle(h);
    await save('prisma-cancelled', h);
  },
  async 'prisma-needs-attention-secret-lost'() {
    // An ambiguous create: the id alone is refused, `secretLost` is said, the run then offers no approval
    // while the new secret is held by nobody (the secretHeldBeforeApproval patch), and is aborted with
    // compensation, which deletes the new connection.
    prisma.faults.drop('POST /v1/databases/:databaseId/connections', { phase: 'after-state-change' });
    const input = prismaInput();
    const h = await start('secret-lost', input);
    await waitFor(h, 'needs-attention');
    const created = prisma.state.connections().find((c) => c.name === input.inputs!.newName)!;
    const supply = { stepId: 'createConnection', by: 'replay', outputs: { newConnectionId: created.id } };
    await h.executeUpdate('supplyOutputs', { args: [supply] }).then(
      () => Promise.reject(new Error('the id without its secret was accepted')),
      () => undefined,
    );
    await h.executeUpdate('supplyOutputs', { args: [{ ...supply, secretLost: true }] });
    for (let i = 0; i < 600; i++) {
      const p = await h.query(progressQuery).catch(() => undefined);
      if (p?.state === 'needs-attention' && /held by nobody/.test(p.attention?.reason ?? '')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await h.executeUpdate('abort', { args: [{ by: 'replay', reason: 'the new secret is lost', compensate: true }] });
    await settle(h);
    await save('prisma-needs-attention-secret-lost', h);
  },
  async 'prisma-lock-wait'() {
    const first = prismaInput({ lock: { pollInterval: '1s' } });
    const h1 = await start('lock-first', first);
    const p = await waitFor(h1, 'awaiting-approval');
    const h2 = await start('lock-second', { ...first, inputs: { ...first.inputs, newName: 'replay-second' } });
    await new Promise((r) => setTimeout(r, 2500));
    await h1.signal('approve', {
      stepId: p.pendingApproval!.stepId,
      approvalId: p.pendingApproval!.approvalId,
      by: 'replay',
    });
    await settle(h1);
    await settle(h2);
    await save('prisma-lock-first', h1);
    await save('prisma-lock-second', h2);
  },
  async 'deepgram-approved-by-signal'() {
    const admin = deepgram.seed({ scopes: ['admin'] });
    const old = deepgram.addKey(admin.projectId, { scopes: ['usage:write'] });
    const h = await start('deepgram', {
      document: DEEPGRAM_DOC,
      inputs: {
        apiKey: admin.key,
        authKeyId: admin.keyId,
        projectId: admin.projectId,
        oldKeyId: old.keyId,
        comment: 'replay',
        scopes: ['usage:write'],
      },
      servers: { deepgramManagementApi: deepgram.baseUrl },
    });
    const p = await waitFor(h, 'awaiting-approval');
    await h.signal('approve', {
      stepId: p.pendingApproval!.stepId,
      approvalId: p.pendingApproval!.approvalId,
      by: 'replay',
    });
    await settle(h);
    await save('deepgram-approved-by-signal', h);
  },
  async 'nested-child-workflows'() {
    const seeded = prisma.seed();
    const h = await start('nested', {
      document: 'test/fixtures/interpreter/nested.arazzo.yaml',
      inputs: { apiToken: seeded.serviceToken, databaseId: seeded.databaseId },
      servers: { prismaManagementApi: prisma.baseUrl },
    });
    await settle(h);
    await save('nested-child-workflows', h);
  },
  async 'prisma-continued-then-compensated'() {
    // Continues as new after the create (low threshold), then is aborted with compensation in the
    // last run: the undo of a step completed in an earlier run (the run's one record carries it).
    const h = await start('continued', prismaInput({ continueAsNewAfterEvents: 20 }));
    await waitFor(h, 'awaiting-approval');
    await h.executeUpdate('abort', { args: [{ by: 'replay', reason: 'test', compensate: true }] });
    await settle(h);
    await save('prisma-continued-first-run', h, h.firstExecutionRunId);
    await save('prisma-continued-last-run', h);
  },
  async 'polling-loop-continue-as-new'() {
    const seeded = prisma.seed({ status: 'provisioning' });
    const h = await start('loop', {
      document: 'test/fixtures/interpreter/polling-loop.arazzo.yaml',
      inputs: { apiToken: seeded.serviceToken, databaseId: seeded.databaseId },
      servers: { prismaManagementApi: prisma.baseUrl },
      continueAsNewAfterEvents: 30,
    });
    await new Promise((r) => setTimeout(r, 8000));
    prisma.setDatabaseStatus(seeded.databaseId, 'ready');
    await settle(h);
    await save('polling-loop-first-run', h, h.firstExecutionRunId);
    await save('polling-loop-last-run', h);
  },
  // Arazzo 1.1 (set 2026-11-30-e on): selectors in outputs, parameters, payloads and replacements
  // (evaluated in the activity and, for workflow outputs, in the workflow), querystring, $self.
  async 'arazzo-1.1-selectors'() {
    const h = await start('selectors', {
      document: 'test/fixtures/arazzo-1.1/selectors.arazzo.yaml',
      inputs: { petId: 'unused', invoiceId: 'inv-1', customer: { id: 'c-1', name: 'Ada', pets: ['p-7'] } },
      servers: { store: `${store.url}/store` },
    });
    await settle(h);
    await save('arazzo-1.1-selectors', h);
  },
  // A step timeout as the activity's schedule-to-close timeout, then a goto action whose parameters
  // become the fallback workflow's inputs (a child workflow).
  async 'arazzo-1.1-timeout-goto-parameters'() {
    const h = await start('timeout', {
      document: 'test/fixtures/arazzo-1.1/timeout.arazzo.yaml',
      inputs: { petId: 'p-7' },
      servers: { store: `${store.url}/store` },
    });
    await settle(h);
    await save('arazzo-1.1-timeout-goto-parameters', h);
  },
  // A workflow of an arazzo source description run as a child workflow.
  async 'arazzo-source-child-workflow'() {
    const h = await start('source-child', {
      document: 'test/fixtures/arazzo-1.1/pets-from-source-1.1.arazzo.yaml',
      inputs: { petId: 'p-7' },
      servers: { 'shared.store': `${store.url}/store` },
    });
    await settle(h);
    await save('arazzo-source-child-workflow', h);
  },
};

try {
  await worker.runUntil(async () => {
    for (const [name, run] of Object.entries(scenarios)) {
      console.log(`recording ${name}`);
      await run();
    }
  });
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify({ workflowIds: saved }, null, 2)}\n`);
  console.log(`wrote ${Object.keys(saved).length} histories to ${outDir}`);
} finally {
  await prisma.close();
  await deepgram.close();
  await store.close();
  await connection.close();
  await native.close();
  await server.stop();
}
