// `npm run demo [-- deepgram] [-- --manual] [-- --arazzo-1.1]`: the whole product on one screen. A real Temporal server
// and worker rotate a credential at a provider simulator: the run pauses before the destructive step,
// is approved (automatically after a short pause, or by you with the printed command), resumes, and
// leaves exactly one valid credential, which is checked against the simulator at the end.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { defaultDocumentRoot, policyFromEnv } from '../activities/config.js';
import { getDataConverter } from '../codec/data-converter.js';
import { maskValue } from '../arazzo/secrets/mask.js';
import type { ArazzoRunInput, ArazzoRunResult, RunProgress } from '../workflows/types.js';
import { approveUpdate, progressQuery, WORKFLOW_TYPE } from '../workflows/contract.js';
import { approveCommand } from '../workflows/details.js';
import { ensureTemporalCli } from '../../scripts/temporal-install.mjs';
import { operatorName, shellWord } from '../cli/operator.js';
import { createArazzoWorker } from '../worker.js';
import { type DemoEnvironment, startDemoEnvironment } from './environment.js';

export interface DemoOptions {
  provider?: 'prisma' | 'deepgram';
  /** Which form of the rotation document runs: Arazzo 1.0 (default) or its 1.1 form (`-1.1.arazzo.yaml`). */
  arazzo?: '1.0' | '1.1';
  /** Wait for a person to approve instead of approving after a short pause. */
  manual?: boolean;
  /** Seconds before the automatic approval. */
  approveAfterSeconds?: number;
  log?: (line: string) => void;
}

export interface DemoOutcome {
  workflowId: string;
  result: ArazzoRunResult;
  oldCredentialWorks: boolean;
  newCredentialWorks: boolean;
}

interface Scenario {
  input: ArazzoRunInput;
  /** The approval's step. */
  revokeStep: string;
  /** Output name of the minted secret (delivered to a file) and of the new credential's id. */
  secretOutput: string;
  idOutput: string;
  oldWorks(): boolean;
  newWorks(secret: string): boolean;
}

/** Seeds the simulator with a credential to rotate; the token travels as a secret reference only. */
function scenario(
  env: DemoEnvironment,
  provider: 'prisma' | 'deepgram',
  runTag: string,
  arazzo: '1.0' | '1.1',
): Scenario {
  const form = arazzo === '1.1' ? '-1.1' : '';
  if (provider === 'prisma') {
    const seeded = env.prisma.seed({ databaseName: 'orders', connectionName: 'orders-app' });
    process.env.DEMO_PRISMA_TOKEN = seeded.serviceToken;
    return {
      input: {
        document: `rotations/prisma-rotate-connection${form}.arazzo.yaml`,
        inputs: {
          apiToken: { $secret: 'env:DEMO_PRISMA_TOKEN' },
          databaseId: seeded.databaseId,
          oldConnectionId: seeded.connectionId,
          newName: `rotation-${runTag}`,
        },
        servers: { prismaManagementApi: env.prisma.baseUrl },
        deliver: { newConnectionString: `file:prisma-${runTag}.txt` },
      },
      revokeStep: 'revokeOldConnection',
      secretOutput: 'newConnectionString',
      idOutput: 'newConnectionId',
      oldWorks: () => env.prisma.credentialWorks(seeded.connectionString),
      newWorks: (secret) => env.prisma.credentialWorks(secret),
    };
  }
  const admin = env.deepgram.seed({ comment: 'rotation admin', scopes: ['admin'] });
  const old = env.deepgram.addKey(admin.projectId, { comment: 'transcriber', scopes: ['usage:write'] });
  process.env.DEMO_DEEPGRAM_KEY = admin.key;
  return {
    input: {
      document: `rotations/deepgram-rotate-key${form}.arazzo.yaml`,
      inputs: {
        apiKey: { $secret: 'env:DEMO_DEEPGRAM_KEY' },
        authKeyId: admin.keyId,
        projectId: admin.projectId,
        oldKeyId: old.keyId,
        comment: `rotation-${runTag}`,
        scopes: ['usage:write'],
      },
      servers: { deepgramManagementApi: env.deepgram.baseUrl },
      deliver: { newKey: `file:deepgram-${runTag}.txt` },
    },
    revokeStep: 'deleteOldKey',
    secretOutput: 'newKey',
    idOutput: 'newKeyId',
    oldWorks: () => env.deepgram.credentialWorks(old.key),
    newWorks: (secret) => env.deepgram.credentialWorks(secret),
  };
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoOutcome> {
  const log = options.log ?? ((line: string) => console.log(line));
  const provider = options.provider ?? 'prisma';
  Runtime.install({
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: (m) => log(`worker: ${m}`) },
  });
  const env = await startDemoEnvironment(log);
  const runTag = `${Date.now().toString(36)}`;
  // The worker reads the token only from this variable, and delivers minted secrets only here.
  process.env.ARAZZO_SECRET_ENV_ALLOW = 'DEMO_PRISMA_TOKEN,DEMO_DEEPGRAM_KEY';
  process.env.ARAZZO_SECRET_SINK_DIR = env.sinkDir;
  const connection = await Connection.connect({ address: env.address });
  const native = await NativeConnection.connect({ address: env.address });
  try {
    const client = new Client({ connection, namespace: env.namespace, dataConverter: getDataConverter() });
    const taskQueue = `arazzo-demo-${runTag}`;
    const worker = await createArazzoWorker({
      connection: native,
      namespace: env.namespace,
      taskQueue,
      policy: { ...policyFromEnv(), documentRoot: defaultDocumentRoot },
    });
    const plan = scenario(env, provider, runTag, options.arazzo ?? '1.0');
    const workflowId = `demo-${provider}-${runTag}`;
    const outcome = await worker.runUntil(async () => {
      const handle = await client.workflow.start(WORKFLOW_TYPE, {
        taskQueue,
        workflowId,
        args: [plan.input],
        staticSummary: `Demo: rotate a ${provider === 'prisma' ? 'Prisma connection string' : 'Deepgram API key'}`,
      });
      log(`\nStarted rotation ${workflowId} (document ${plan.input.document})`);
      log(`Web UI: ${env.uiUrl}/namespaces/${env.namespace}/workflows/${workflowId}`);
      if (env.codecUrl) {
        log(
          `(payloads are encrypted; the UI decodes them through ${env.codecUrl}${env.codecLogin ? `: authorize your browser once at ${env.codecLogin}, then tick "Include cross-origin credentials" in the UI's codec settings` : ''})`,
        );
      }
      const seen = new Map<string, string>();
      const waiting = await follow(handle, log, 'awaiting-approval', seen);
      const pending = waiting.pendingApproval!;
      log(`\nApproval needed before ${pending.method} ${pending.url}`);
      for (const d of pending.secrets ?? []) log(`  ${d}`);
      // The demo's worker has no approval policy: say so, so nobody takes this approval for proof.
      if (pending.notice) log(`Note: ${pending.notice}`);
      // Commands that work when pasted: our CLI (the approve update, refused at once if it does not fit),
      // or the temporal CLI by its absolute path (it is not on PATH), both with the operator's name.
      const by = operatorName();
      log('Approve it with:');
      log(`  npx arazzo-temporal --address ${env.address} approve ${workflowId} --by ${shellWord(by)}`);
      log('or with the temporal CLI:');
      const signal = approveCommand(workflowId, pending.stepId, pending.approvalId, by).replace(
        'temporal workflow signal ',
        `${shellWord(ensureTemporalCli({ quiet: true }))} workflow signal --address ${env.address} `,
      );
      log(`  ${signal}`);
      if (options.manual) {
        log('Waiting for your approval (Ctrl-C to stop; nothing destructive happens without it)...');
      } else {
        const seconds = options.approveAfterSeconds ?? 3;
        log(`Approving automatically in ${seconds} s (use --manual to approve yourself)...`);
        await new Promise((r) => setTimeout(r, seconds * 1000));
        const answer = await handle.executeUpdate(approveUpdate, {
          args: [
            { stepId: pending.stepId, approvalId: pending.approvalId, by: 'demo', comment: 'automatic demo approval' },
          ],
        });
        log(`  ${answer}`);
      }
      await follow(
        handle,
        log,
        ['completed', 'failed', 'rejected', 'approval-expired', 'cancelled', 'compensated'],
        seen,
      );
      return (await handle.result()) as ArazzoRunResult;
    });
    if (outcome.status !== 'completed')
      throw new Error(`the rotation ended ${outcome.status}: ${outcome.message ?? ''}`);
    const secret = readFileSync(join(env.sinkDir, `${provider}-${runTag}.txt`), 'utf8').trim();
    const checks = { oldCredentialWorks: plan.oldWorks(), newCredentialWorks: plan.newWorks(secret) };
    log('\nOutcome:');
    log(`  new credential id: ${String(outcome.outputs[plan.idOutput])}`);
    log(
      `  new secret: ${maskValue(secret)}, delivered to ${join(env.sinkDir, `${provider}-${runTag}.txt`)} (mode 0600)`,
    );
    log(`  old credential works: ${checks.oldCredentialWorks ? 'YES (unexpected!)' : 'no (revoked)'}`);
    log(`  new credential works: ${checks.newCredentialWorks ? 'yes' : 'NO (unexpected!)'}`);
    if (checks.oldCredentialWorks || !checks.newCredentialWorks)
      throw new Error('the simulator does not show exactly one valid credential');
    log('\nDone: exactly one valid credential, the new one.');
    return { workflowId, result: outcome, ...checks };
  } finally {
    await connection.close();
    await native.close();
    await env.stop();
  }
}

const TERMINAL = new Set(['completed', 'failed', 'rejected', 'approval-expired', 'cancelled', 'compensated']);

/** Prints a line per step transition until the run reaches one of `states` (or ends). */
async function follow(
  handle: WorkflowHandle,
  log: (line: string) => void,
  states: string | string[],
  seen: Map<string, string>,
): Promise<RunProgress> {
  const wanted = new Set(Array.isArray(states) ? states : [states]);
  for (;;) {
    const progress = await handle.query(progressQuery).catch(() => undefined);
    if (progress) {
      // Columns as wide as the longest step id and operation of the run, so long ids do not break them.
      const idWidth = Math.max(...progress.steps.map((s) => s.stepId.length));
      const opWidth = Math.max(...progress.steps.map((s) => s.operation.length));
      for (const step of progress.steps) {
        const key = `${step.status}:${step.httpStatus ?? ''}`;
        if (seen.get(step.stepId) !== key && step.status !== 'pending') {
          seen.set(step.stepId, key);
          const http = step.httpStatus ? ` HTTP ${step.httpStatus}` : '';
          log(`  ${step.stepId.padEnd(idWidth)}  ${step.operation.padEnd(opWidth)}  ${step.status}${http}`);
        }
      }
      if (wanted.has(progress.state)) return progress;
      if (TERMINAL.has(progress.state))
        throw new Error(`the rotation ended ${progress.state} (expected ${[...wanted].join('/')})`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
