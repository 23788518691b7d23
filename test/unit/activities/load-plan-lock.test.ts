// The lock key a run gets from the real `loadPlan` activity (MockActivityEnvironment, documents on disk,
// no request is ever sent: loadPlan runs before the first step). A lock key becomes a workflow id
// (`arazzo-lock:<key>`), stored and shown in clear, and it is what keeps two runs off one credential, so:
// it never carries a secret (whatever pre-flight was told), and a run's input may not replace the
// document's `x-lock-key` unless the worker's policy allows it.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure, type Logger } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultDocumentRoot, policyFromEnv, type WorkerPolicy } from '../../../src/activities/config.js';
import { createActivities, type LoadPlanInput, type LoadPlanResult } from '../../../src/activities/index.js';
import { PRISMA_DOC, testPolicy } from '../../support/rotation.js';

// Plans are sealed by loadPlan; without codec keys the seal key comes from here (no key file written).
process.env.ARAZZO_PLAN_SEAL_KEY ??= Buffer.alloc(32, 7).toString('base64');

const quiet: Logger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const TOKEN = 'pst_live_5f2b9c0d1e7a4b3c8d6e';
const TOKEN_VARIABLE = 'LOAD_PLAN_LOCK_TEST_TOKEN';
process.env[TOKEN_VARIABLE] = TOKEN;

// Copies of the Prisma rotation with other lock keys, beside the real OpenAPI description.
const root = mkdtempSync(join(tmpdir(), 'arazzo-lock-key-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
cpSync(join(defaultDocumentRoot, 'openapi'), join(root, 'openapi'), { recursive: true });
mkdirSync(join(root, 'rotations'));
const original = readFileSync(join(defaultDocumentRoot, PRISMA_DOC), 'utf8');
const DOCUMENT_KEY = "    x-lock-key: 'prisma:{$inputs.databaseId}:{$inputs.oldConnectionId}'\n";
if (!original.includes(DOCUMENT_KEY)) throw new Error('the Prisma rotation no longer declares the expected lock key');
function variant(name: string, lockKeyLine: string): string {
  writeFileSync(join(root, 'rotations', name), original.replace(DOCUMENT_KEY, lockKeyLine));
  return `rotations/${name}`;
}
const WITH_KEY = variant('with-key.arazzo.yaml', DOCUMENT_KEY);
const WITHOUT_KEY = variant('without-key.arazzo.yaml', '');
const TOKEN_IN_KEY = variant(
  'token-key.arazzo.yaml',
  "    x-lock-key: 'prisma:{$inputs.databaseId}:{$inputs.apiToken}'\n",
);
const BARE_TOKEN_KEY = variant('bare-token-key.arazzo.yaml', '    x-lock-key: $inputs.apiToken\n');

function loadPlan(
  input: Omit<LoadPlanInput, 'inputs'>,
  options: { apiToken?: unknown; policy?: Partial<WorkerPolicy> } = {},
) {
  const activities = createActivities(
    testPolicy({ documentRoot: root, secrets: { envAllow: [TOKEN_VARIABLE], hostBindings: [] }, ...options.policy }),
  );
  const inputs = {
    apiToken: options.apiToken ?? TOKEN,
    databaseId: 'db1',
    oldConnectionId: 'con1',
    newName: 'rotation-1',
  };
  return new MockActivityEnvironment({}, { logger: quiet }).run(activities.loadPlan, {
    ...input,
    inputs,
  }) as Promise<LoadPlanResult>;
}

/** The refusal `loadPlan` throws: non-retryable, and never with the token in it. */
async function refusal(result: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await result.then(
    () => new Error('loadPlan accepted the run'),
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  const failure = error as ApplicationFailure;
  expect(failure.nonRetryable).toBe(true);
  expect(JSON.stringify({ message: failure.message, details: failure.details })).not.toContain(TOKEN);
  return failure;
}

describe('loadPlan: a lock key never carries a secret', () => {
  it.each([
    ['a template reading the secret input', TOKEN_IN_KEY, '`$inputs.apiToken`'],
    ['the secret input as the whole key', BARE_TOKEN_KEY, '`$inputs.apiToken`'],
  ])('x-lock-key as %s is refused, even with pre-flight "run-anyway"', async (_, document, reads) => {
    for (const apiToken of [TOKEN, { $secret: `env:${TOKEN_VARIABLE}` }]) {
      const failure = await refusal(loadPlan({ document, preflight: 'run-anyway' }, { apiToken }));
      expect(failure.type).toBe('SecretLockKey');
      expect(failure.message).toBe(
        `x-lock-key of workflow "rotate-connection" reads the secret ${reads}: a lock key becomes a workflow id (arazzo-lock:<key>), stored and shown in clear; no request was sent\n` +
          'hint: build the key from what identifies the credential (ids), never from the credential itself',
      );
    }
  });

  it('without "run-anyway", pre-flight refuses it first, with the place in the document', async () => {
    const failure = await refusal(loadPlan({ document: TOKEN_IN_KEY }));
    expect(failure.type).toBe('PreflightFailed');
    expect(failure.message).toMatch(/token-key\.arazzo\.yaml:21:17 error \[preflight-secret-lock-key\]/);
  });

  it("a lock.key given by the run that contains a secret input's value, or a secret reference, is refused", async () => {
    const allow = { allowLockKeyOverride: true };
    for (const apiToken of [TOKEN, { $secret: `env:${TOKEN_VARIABLE}` }]) {
      for (const document of [WITHOUT_KEY, WITH_KEY]) {
        const failure = await refusal(
          loadPlan({ document, lockKey: `prisma:db1:${TOKEN}` }, { apiToken, policy: allow }),
        );
        expect(failure.type).toBe('SecretLockKey');
        expect(failure.message).toBe(
          'lock.key contains the value of the secret input "apiToken": a lock key becomes a workflow id (arazzo-lock:<key>), stored and shown in clear; no request was sent\n' +
            'hint: build the key from what identifies the credential (ids), never from the credential itself',
        );
      }
    }
    const reference = await refusal(
      loadPlan({ document: WITHOUT_KEY, lockKey: `{"$secret":"env:${TOKEN_VARIABLE}"}` }, { policy: allow }),
    );
    expect(reference.type).toBe('SecretLockKey');
    expect(reference.message).toMatch(/^lock\.key contains a secret reference: a lock key becomes a workflow id/);
  });
});

describe("loadPlan: a run's lock.key and the worker's policy", () => {
  it("refuses a lock.key that differs from the document's x-lock-key (the default policy)", async () => {
    const failure = await refusal(loadPlan({ document: WITH_KEY, lockKey: 'prisma:db1:other' }));
    expect(failure.type).toBe('LockKeyOverride');
    expect(failure.message).toBe(
      'lock.key "prisma:db1:other" would replace the document\'s x-lock-key ("prisma:db1:con1"), so two runs on one resource could run at once; no request was sent\n' +
        'hint: start the run without lock.key, or have the worker allow overrides (ARAZZO_ALLOW_LOCK_KEY_OVERRIDE=1)',
    );
  });

  it("accepts the document's own key, a key for a document without one, and an override the worker allows", async () => {
    expect((await loadPlan({ document: WITH_KEY })).lockKey).toBe('prisma:db1:con1');
    expect((await loadPlan({ document: WITH_KEY, lockKey: 'prisma:db1:con1' })).lockKey).toBe('prisma:db1:con1');
    expect((await loadPlan({ document: WITHOUT_KEY })).lockKey).toBeUndefined();
    expect((await loadPlan({ document: WITHOUT_KEY, lockKey: 'prisma:db1:con1' })).lockKey).toBe('prisma:db1:con1');
    const allowed = await loadPlan(
      { document: WITH_KEY, lockKey: 'prisma:db1:other' },
      { policy: { allowLockKeyOverride: true } },
    );
    expect(allowed.lockKey).toBe('prisma:db1:other');
  });

  it('refuses a lock.key that is not a non-empty string', async () => {
    for (const lockKey of ['', 42, { key: 'x' }]) {
      const failure = await refusal(loadPlan({ document: WITHOUT_KEY, lockKey: lockKey as string }));
      expect(failure.type).toBe('InvalidLockKey');
    }
  });

  it('ARAZZO_ALLOW_LOCK_KEY_OVERRIDE: off unless set to 1/true/yes; anything else is a configuration error', () => {
    expect(policyFromEnv({}).allowLockKeyOverride).toBe(false);
    for (const on of ['1', 'true', 'yes']) {
      expect(policyFromEnv({ ARAZZO_ALLOW_LOCK_KEY_OVERRIDE: on }).allowLockKeyOverride).toBe(true);
    }
    for (const off of ['', '0', 'false', 'no']) {
      expect(policyFromEnv({ ARAZZO_ALLOW_LOCK_KEY_OVERRIDE: off }).allowLockKeyOverride).toBe(false);
    }
    expect(() => policyFromEnv({ ARAZZO_ALLOW_LOCK_KEY_OVERRIDE: 'maybe' })).toThrow(
      'ARAZZO_ALLOW_LOCK_KEY_OVERRIDE: expected 1 (allow) or 0 (refuse), got "maybe"',
    );
  });
});
