// The two rotations as the matrix drives them: a fresh provider simulator per case, seeded with the credential to
// rotate; the run's input as a user writes it (the management token as a `file:` secret reference, the new secret
// delivered to a sink file, a unique name per run); and what an operator and the invariants ask the provider: which
// credentials exist under the run's name (through the provider's own API, as an operator would), which secrets work.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CredentialKind,
  type DeepgramSimulator,
  type ExchangeHook,
  type PrismaSimulator,
  type Simulator,
  startDeepgramSimulator,
  startPrismaSimulator,
} from '../../src/simulators/index.js';
import type { ArazzoRunInput } from '../../src/workflows/types.js';

export type RotationName = 'prisma' | 'deepgram';

/** Route keys (fault targets) of the steps the matrix aims at. */
export interface RotationRoutes {
  create: string;
  /** The step right after the create (a GET that reads the new credential back). */
  verify: string;
  revoke: string;
}

export interface RotationSpec {
  name: RotationName;
  document: string;
  /** The document's steps, in order (the activity ids of their first executions). */
  steps: readonly string[];
  createStep: string;
  verifyStep: string;
  revokeStep: string;
  routes: RotationRoutes;
  /** Output names of the new credential's id and secret. */
  idOutput: string;
  secretOutput: string;
  kind: CredentialKind;
}

export interface SeededRotation {
  spec: RotationSpec;
  sim: Simulator;
  /** The database / project the credentials belong to. */
  scope: string;
  oldId: string;
  /** The run's unique name for the replacement (Prisma `name`, Deepgram `comment`). */
  newName: string;
  input: ArazzoRunInput;
  /** Does this secret authenticate at the provider right now? */
  works(secret: string): boolean;
  oldWorks(): boolean;
  /** Secrets that are not the rotation's new credential (the old one, the key the run authenticates with). */
  notNew(secret: string): boolean;
  /** Whether credential `id` exists and is not revoked. */
  active(id: string): boolean;
  /** The ids of live credentials named `newName`, asked through the provider's API with the run's own token. */
  lookupByName(): Promise<string[]>;
}

export const PRISMA: RotationSpec = {
  name: 'prisma',
  document: 'rotations/prisma-rotate-connection.arazzo.yaml',
  steps: ['confirmDatabase', 'checkOldConnection', 'createConnection', 'verifyReplacement', 'revokeOldConnection'],
  createStep: 'createConnection',
  verifyStep: 'verifyReplacement',
  revokeStep: 'revokeOldConnection',
  routes: {
    create: 'POST /v1/databases/:databaseId/connections',
    verify: 'GET /v1/connections/:id',
    revoke: 'DELETE /v1/connections/:id',
  },
  idOutput: 'newConnectionId',
  secretOutput: 'newConnectionString',
  kind: 'connection',
};

export const DEEPGRAM: RotationSpec = {
  name: 'deepgram',
  document: 'rotations/deepgram-rotate-key.arazzo.yaml',
  steps: [
    'checkOldKey',
    'createReplacementKey',
    'verifyReplacementRegistered',
    'verifyReplacementAuthenticates',
    'deleteOldKey',
  ],
  createStep: 'createReplacementKey',
  verifyStep: 'verifyReplacementRegistered',
  revokeStep: 'deleteOldKey',
  routes: {
    create: 'POST /v1/projects/:project_id/keys',
    verify: 'GET /v1/projects/:project_id/keys/:key_id',
    revoke: 'DELETE /v1/projects/:project_id/keys/:key_id',
  },
  idOutput: 'newKeyId',
  secretOutput: 'newKey',
  kind: 'api-key',
};

export const ROTATIONS: readonly RotationSpec[] = [PRISMA, DEEPGRAM];

export interface SeedOptions {
  /** Unique per case: names the replacement, the token file and the sink file. */
  tag: string;
  secretsDir: string;
  stepTimeout: string;
  /** Deliver the new secret to a sink file (the default); otherwise it stays in the run's encrypted history. */
  sink: boolean;
  onExchange: ExchangeHook;
}

export async function seedRotation(spec: RotationSpec, o: SeedOptions): Promise<SeededRotation> {
  return spec.name === 'prisma' ? seedPrisma(o) : seedDeepgram(o);
}

async function seedPrisma(o: SeedOptions): Promise<SeededRotation> {
  const sim: PrismaSimulator = await startPrismaSimulator({ port: 0, onExchange: o.onExchange });
  const seeded = sim.seed({ databaseName: 'orders', connectionName: 'orders-app' });
  const tokenFile = `${o.tag}-prisma-token`;
  writeFileSync(join(o.secretsDir, tokenFile), seeded.serviceToken, { mode: 0o600 });
  const newName = `rotation-${o.tag}`;
  return {
    spec: PRISMA,
    sim,
    scope: seeded.databaseId,
    oldId: seeded.connectionId,
    newName,
    input: {
      document: PRISMA.document,
      inputs: {
        apiToken: { $secret: `file:${tokenFile}` },
        databaseId: seeded.databaseId,
        oldConnectionId: seeded.connectionId,
        newName,
      },
      servers: { prismaManagementApi: sim.baseUrl },
      deliver: o.sink ? { newConnectionString: `file:${o.tag}-new-connection.txt` } : undefined,
      stepTimeout: o.stepTimeout,
      approval: { timeout: '1h' },
    },
    works: (secret) => sim.credentialWorks(secret),
    oldWorks: () => sim.credentialWorks(seeded.connectionString),
    notNew: (secret) => secret === seeded.connectionString,
    active: (id) => sim.state.connection(id)?.revoked === false,
    async lookupByName() {
      const res = await fetch(`${sim.baseUrl}/databases/${seeded.databaseId}/connections`, {
        headers: { authorization: `Bearer ${seeded.serviceToken}` },
      });
      const body = (await res.json()) as { data: Array<{ id: string; name: string }> };
      return body.data.filter((c) => c.name === newName).map((c) => c.id);
    },
  };
}

async function seedDeepgram(o: SeedOptions): Promise<SeededRotation> {
  const sim: DeepgramSimulator = await startDeepgramSimulator({ port: 0, onExchange: o.onExchange });
  // The key that runs the rotation, and the key it rotates (as in the demo).
  const admin = sim.seed({ comment: 'rotation admin', scopes: ['admin'] });
  const old = sim.addKey(admin.projectId, { comment: 'transcriber', scopes: ['usage:write'] });
  const tokenFile = `${o.tag}-deepgram-key`;
  writeFileSync(join(o.secretsDir, tokenFile), admin.key, { mode: 0o600 });
  const newName = `rotation-${o.tag}`;
  return {
    spec: DEEPGRAM,
    sim,
    scope: admin.projectId,
    oldId: old.keyId,
    newName,
    input: {
      document: DEEPGRAM.document,
      inputs: {
        apiKey: { $secret: `file:${tokenFile}` },
        authKeyId: admin.keyId,
        projectId: admin.projectId,
        oldKeyId: old.keyId,
        comment: newName,
        scopes: ['usage:write'],
      },
      servers: { deepgramManagementApi: sim.baseUrl },
      deliver: o.sink ? { newKey: `file:${o.tag}-new-key.txt` } : undefined,
      stepTimeout: o.stepTimeout,
      approval: { timeout: '1h' },
    },
    works: (secret) => sim.credentialWorks(secret),
    oldWorks: () => sim.credentialWorks(old.key),
    notNew: (secret) => secret === old.key || secret === admin.key,
    active: (id) => sim.state.key(id)?.deleted === false,
    async lookupByName() {
      const res = await fetch(`${sim.baseUrl}/projects/${admin.projectId}/keys`, {
        headers: { authorization: `Token ${admin.key}` },
      });
      const body = (await res.json()) as { api_keys: Array<{ api_key: { api_key_id: string; comment: string } }> };
      return body.api_keys.filter((k) => k.api_key.comment === newName).map((k) => k.api_key.api_key_id);
    },
  };
}
