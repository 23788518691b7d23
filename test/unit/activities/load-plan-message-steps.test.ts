// The real load activity on Arazzo 1.1 message steps (MockActivityEnvironment): the pet-purchase example
// is planned (no longer refused), its channel steps carrying `message`; a bad message step is refused
// before anything runs. The AsyncAPI file is read with the official parser by the activity itself.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApplicationFailure, type Logger } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createActivities, type LoadPlanInput, type LoadPlanResult } from '../../../src/activities/index.js';
import { testPolicy } from '../../support/rotation.js';

process.env.ARAZZO_PLAN_SEAL_KEY ??= Buffer.alloc(32, 7).toString('base64');

const examples = fileURLToPath(new URL('../../../arazzo/examples/pet-asyncapi/', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'arazzo-load-messages-'));
for (const file of ['pet-purchase.arazzo.yaml', 'pet-asyncapi.yaml', 'petstore-openapi.yaml']) {
  copyFileSync(join(examples, file), join(root, file));
}
const corrected = readFileSync(join(examples, 'pet-purchase.arazzo.yaml'), 'utf8');
writeFileSync(join(root, 'no-timeout.arazzo.yaml'), corrected.replace('    timeout: 6000\n', ''));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const quiet: Logger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const INPUTS = { username: 'u', password: 'p', orderCorrelationId: 'order-1' };

function load(document: string): Promise<LoadPlanResult> {
  const activities = createActivities(testPolicy({ documentRoot: root }));
  const input: LoadPlanInput = { document, inputs: INPUTS };
  return new MockActivityEnvironment({}, { logger: quiet }).run(activities.loadPlan, input) as Promise<LoadPlanResult>;
}

describe('loadPlan: message steps', () => {
  it('plans the pet-purchase example: HTTP steps with operations, channel steps with message', async () => {
    const { plan, warnings } = await load('pet-purchase.arazzo.yaml');
    expect(warnings).toEqual([]);
    const steps = plan.workflows.loginUserAndRetrievePet.steps;
    expect(
      steps.map((s) => [s.stepId, s.operation?.operationId, s.message?.action, s.message?.channel.address]),
    ).toEqual([
      ['loginStep', '$sourceDescriptions.petStoreDescription.loginUser', undefined, undefined],
      ['getPetStep', 'findPetsByStatus', undefined, undefined],
      ['purchasePetStep', undefined, 'send', 'place-order'],
      ['confirmPetPurchaseStep', undefined, 'receive', 'confirm-order'],
    ]);
    expect(steps[3].message?.correlationId).toBe('$inputs.orderCorrelationId');
    expect(steps[3].timeoutMs).toBe(6000);
  });

  it('refuses a receive without timeout before anything runs', async () => {
    const failure = await load('no-timeout.arazzo.yaml').then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).type).toBe('PreflightFailed');
    expect((failure as ApplicationFailure).message).toContain('[preflight-receive-without-timeout]');
  });
});
