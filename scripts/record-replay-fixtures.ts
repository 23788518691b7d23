// Records a set of interpreter histories for replay tests: `npm run replay:record -- <set-name>`.
// A set, once committed, is never re-recorded: CI replays every set ever committed against the current
// workflow code, so a change that would break runs parked for days fails CI (use `patched()`).
//
// It starts its own dev server, the simulators and an in-process worker (no payload codec, so the
// fixtures decode anywhere), then drives scenarios that cover timers, signals, updates, child
// workflows, continue-as-new, operator decisions and cancellation.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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
import { parseApprovalPolicy } from '../src/arazzo/approvals/policy.js';
import { publicKeyOf, requestDigest, signDecision, signStart } from '../src/arazzo/approvals/signature.js';
import { ensureTemporalCli } from './temporal-install.mjs';
import { createActivities } from '../src/activities/index.js';
import { startChannelRuntime } from '../src/channels/runtime.js';
import { startKafkaBroker } from '../src/devbroker/kafka-broker.js';
import { startDevServer } from '../src/devserver/dev-server.js';
import { startOrderResponder } from '../src/simulators/order-responder.js';
import { startPetstoreSimulator } from '../src/simulators/petstore.js';
import { startDeepgramSimulator, startPrismaSimulator } from '../src/simulators/index.js';
import { progressQuery, WORKFLOW_TYPE } from '../src/workflows/contract.js';
import { lockWorkflowId } from '../src/workflows/lock.js';
import {
  MANAGED_WORKFLOW_TYPE,
  type ManagedView,
  managedQuery,
  managedWorkflowId,
} from '../src/workflows/managed-contract.js';
import type { ArazzoRunInput, RunProgress, RunState } from '../src/workflows/types.js';
import { workflowPreloadModules, workflowsPath } from '../src/worker.js';
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
// Message steps (set 2026-11-30-g on): a Kafka broker, the pet store and the order application, and the
// worker's channel runtime (bindings and the listener that feeds waiting runs).
const kafka = await startKafkaBroker();
const petstore = await startPetstoreSimulator({ port: 0 });
const responder = await startOrderResponder({ bootstrap: kafka.bootstrap });
const channels = startChannelRuntime({ client, discoverEveryMs: 500 });
const worker = await Worker.create({
  connection: native,
  namespace: server.namespace,
  taskQueue,
  workflowsPath,
  bundlerOptions: { preloadModules: workflowPreloadModules },
  activities: createActivities(
    {
      documentRoot: repoRoot,
      allowedDocumentHosts: [],
      allowedServerHosts: ['127.0.0.1', 'localhost'],
      // The managed credential takes its token only as a reference.
      secrets: { envAllow: ['ARAZZO_REPLAY_PRISMA_TOKEN'], hostBindings: [] },
    },
    channels,
  ),
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

// Signed approvals (from set 2026-11-30-c): a second worker with an approval policy (two approvers of
// group "security" for the Prisma rotation) and a webhook on a loopback receiver, on its own task queue.
const approverKey = (byte: number) => Buffer.alloc(32, byte).toString('hex');
const APPROVERS = { alice: approverKey(21), bob: approverKey(22), dave: approverKey(23) };
const webhookReceiver = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(204).end());
});
await new Promise<void>((resolve) => webhookReceiver.listen(0, '127.0.0.1', resolve));
const signedTaskQueue = `${taskQueue}-signed`;

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

const signedWorker = await Worker.create({
  connection: native,
  namespace: server.namespace,
  taskQueue: signedTaskQueue,
  workflowsPath,
  bundlerOptions: { preloadModules: workflowPreloadModules },
  activities: createActivities({
    documentRoot: repoRoot,
    allowedDocumentHosts: [],
    allowedServerHosts: ['127.0.0.1'],
    approvals: parseApprovalPolicy(
      JSON.stringify({
        approvers: Object.entries(APPROVERS).map(([name, key]) => ({
          name,
          publicKey: publicKeyOf(key),
          groups: ['security'],
        })),
        rules: [{ document: PRISMA_DOC, group: 'security', quorum: 2 }],
      }),
      'replay-recorder-policy.json',
    ),
    approvalWebhooks: [
      { format: 'json', url: `http://127.0.0.1:${(webhookReceiver.address() as AddressInfo).port}/hook` },
    ],
  }),
});

async function start(
  name: string,
  input: ArazzoRunInput,
  queue = taskQueue,
): Promise<WorkflowHandleWithFirstExecutionRunId> {
  return client.workflow.start(WORKFLOW_TYPE, {
    taskQueue: queue,
    workflowId: `replay-${name}-${Date.now()}`,
    args: [input],
  });
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

async function waitForManaged(handle: WorkflowHandle, done: (view: ManagedView) => boolean): Promise<ManagedView> {
  for (let i = 0; i < 600; i++) {
    const view = await handle.query(managedQuery).catch(() => undefined);
    if (view && done(view)) return view;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${handle.workflowId} never got there`);
}

/** Approves rotation `n` of a managed credential once it waits, and returns when the credential recorded it. */
async function approveRotation(managed: WorkflowHandle, n: number): Promise<string> {
  const view = await waitForManaged(managed, (v) => v.current?.number === n);
  const rotation = client.workflow.getHandle(view.current!.workflowId);
  const p = await waitFor(rotation, 'awaiting-approval');
  await rotation.executeUpdate('approve', {
    args: [{ stepId: p.pendingApproval!.stepId, approvalId: p.pendingApproval!.approvalId, by: 'replay' }],
  });
  await waitForManaged(managed, (v) => v.history.some((h) => h.number === n));
  return view.current!.workflowId;
}

const scenarios: Record<string, () => Promise<void>> = {
  async 'prisma-signed-quorum'() {
    // Started signed by alice (the requester); her own approval and an unsigned one are ignored (signals);
    // bob approves by signal, dave by update: the quorum of two runs the DELETE. Webhook notices
    // (waiting, approved) are activities beside the walk.
    await signedWorker.runUntil(async () => {
      const workflowId = `replay-signed-${Date.now()}`;
      const input = prismaInput();
      const signedAt = new Date().toISOString();
      const statement = {
        namespace: server.namespace,
        workflowId,
        document: PRISMA_DOC,
        arazzoWorkflowId: '',
        signedAt,
      };
      input.requester = signStart(statement, APPROVERS.alice);
      const h = await client.workflow.start(WORKFLOW_TYPE, { taskQueue: signedTaskQueue, workflowId, args: [input] });
      const pending = (await waitFor(h, 'awaiting-approval')).pendingApproval!;
      const decision = {
        namespace: server.namespace,
        workflowId,
        runId: pending.runId!,
        stepId: pending.stepId,
        approvalId: pending.approvalId,
        decision: 'approve' as const,
        requestDigest: requestDigest(pending.method, pending.url),
        signedAt,
      };
      const stepId = pending.stepId;
      await h.signal('approve', { stepId, by: 'replay' });
      await h.signal('approve', { stepId, by: 'alice', signed: signDecision(decision, APPROVERS.alice) });
      await h.signal('approve', { stepId, by: 'bob', signed: signDecision(decision, APPROVERS.bob) });
      for (let i = 0; i < 600; i++) {
        const p = await h.query(progressQuery);
        if (p.pendingApproval?.approvals?.length === 1) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await h.executeUpdate('approve', {
        args: [{ stepId, by: 'dave', signed: signDecision(decision, APPROVERS.dave) }],
      });
      await settle(h);
      await save('prisma-signed-quorum', h);
    });
  },
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
  async 'managed-credential'() {
    // A managed credential: a scheduled rotation, a rotate-now (update), a refused rotate-now (signal) while
    // one runs, pause (signal) and resume (update), a cancel request refused, continue-as-new between
    // rotations (low threshold), retire. The entity's runs and one rotation are kept.
    const seeded = prisma.seed();
    process.env.ARAZZO_REPLAY_PRISMA_TOKEN = seeded.serviceToken;
    const id = `${managedWorkflowId(`prisma:${seeded.databaseId}:${seeded.connectionId}`)}-${Date.now()}`;
    const managed = await client.workflow.start(MANAGED_WORKFLOW_TYPE, {
      taskQueue,
      workflowId: id,
      args: [
        {
          run: {
            document: PRISMA_DOC,
            inputs: {
              apiToken: { $secret: 'env:ARAZZO_REPLAY_PRISMA_TOKEN' },
              databaseId: seeded.databaseId,
              oldConnectionId: seeded.connectionId,
              newName: 'replay-managed',
            },
            servers: { prismaManagementApi: prisma.baseUrl },
            stepTimeout: '3s',
          },
          every: '1h',
          firstDueAt: new Date(Date.now() + 1500).toISOString(),
          continueAsNewAfterEvents: 40,
        },
      ],
    });
    const firstRotation = await approveRotation(managed, 1);
    await managed.executeUpdate('rotateNow', { args: [{ by: 'replay' }] });
    await waitForManaged(managed, (v) => v.current?.number === 2);
    await managed.signal('rotateNow', { by: 'refused' });
    await managed.cancel();
    await approveRotation(managed, 2);
    await managed.signal('pause', { by: 'replay', reason: 'test' });
    await waitForManaged(managed, (v) => v.state === 'paused');
    await managed.executeUpdate('resume', { args: [{ by: 'replay' }] });
    await managed.executeUpdate('retire', { args: [{ by: 'replay' }] });
    await settle(managed);
    await save('managed-credential-first-run', managed, managed.firstExecutionRunId);
    await save('managed-credential-last-run', managed);
    await save('managed-credential-rotation', client.workflow.getHandle(firstRotation));
  },
  async 'prisma-lock-cancel-refused-then-terminated'() {
    // The lock refuses a cancel request; terminated, its holder parks before the DELETE (lockLossParks),
    // takes the lock again on retryStep and completes. The run and the lock are kept.
    const input = prismaInput();
    const key = `prisma:${input.inputs!.databaseId}:${input.inputs!.oldConnectionId}`;
    const h = await start('lock-lost', input);
    const p = await waitFor(h, 'awaiting-approval');
    const lock = client.workflow.getHandle(lockWorkflowId(key));
    const lockRunId = (await lock.describe()).runId;
    await lock.cancel();
    await new Promise((r) => setTimeout(r, 1000));
    await lock.terminate('replay: the lock is broken on purpose');
    await save('lock-cancel-refused', lock, lockRunId);
    await h.executeUpdate('approve', {
      args: [{ stepId: p.pendingApproval!.stepId, approvalId: p.pendingApproval!.approvalId, by: 'replay' }],
    });
    await waitFor(h, 'needs-attention');
    // Nobody else holds the lock: it is taken again and the approved DELETE goes out.
    await h.executeUpdate('retryStep', { args: [{ stepId: p.pendingApproval!.stepId, by: 'replay' }] });
    await settle(h);
    await save('prisma-lock-lost', h);
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
  // Message steps (set 2026-11-30-g on): the spec's pet purchase, HTTP then a send (recording the reply
  // window) and a receive fed by the channel listener through the deliverMessage update.
  async 'message-pet-purchase'() {
    const seeded = petstore.seed();
    const h = await start('pet-purchase', {
      document: 'arazzo/examples/pet-asyncapi/pet-purchase.arazzo.yaml',
      inputs: { username: seeded.username, password: seeded.password, orderCorrelationId: `replay-${Date.now()}` },
      servers: { petStoreDescription: petstore.baseUrl, asyncOrderApiDescription: kafka.bootstrap },
    });
    await settle(h);
    await save('message-pet-purchase', h);
  },
  // A receive nobody answers: its timer fires, onFailure goes to the next step (a send).
  async 'message-receive-timeout'() {
    const h = await start('receive-timeout', {
      document: 'test/fixtures/message-steps/wait-for-confirmation.arazzo.yaml',
      inputs: { orderRequestId: `nobody-answers-${Date.now()}` },
      servers: { orders: kafka.bootstrap },
    });
    await settle(h);
    await save('message-receive-timeout', h);
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
  await new Promise((resolve) => webhookReceiver.close(resolve));
  await store.close();
  await channels.stop();
  await responder.stop();
  await petstore.close();
  await kafka.stop();
  await connection.close();
  await native.close();
  await server.stop();
}
