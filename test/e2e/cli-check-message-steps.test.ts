// `check` (and `list`) on Arazzo 1.1 message steps, as a process: the spec's pet-purchase example (AsyncAPI file as
// published, our local pet-store OpenAPI description) corrected is clean; the spec's text as written
// (only its source urls pointed at the local copies) gets one finding per real mistake.
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const CORRECTED = 'arazzo/examples/pet-asyncapi/pet-purchase.arazzo.yaml';
const AS_WRITTEN = 'arazzo/examples/pet-asyncapi/spec-example.arazzo.yaml';

describe.concurrent('arazzo-temporal check: message steps', () => {
  it('the corrected pet-purchase example is clean: exit 0', async () => {
    const { code, stdout, stderr } = await runCli(['check', CORRECTED]);
    expect(stderr).toBe('');
    expect(stdout.trim()).toBe(
      `validated against Arazzo 1.1 (schema https://spec.openapis.org/arazzo/1.1/schema/WORK-IN-PROGRESS)\n✔ ${CORRECTED}: 0 errors, 0 warnings`,
    );
    expect(code).toBe(0);
  });

  it("the spec's example as written: one finding per mistake, each with a hint that fixes it", async () => {
    const { code, stdout } = await runCli(['check', AS_WRITTEN, '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as {
      findings: Array<{ code: string; pointer: string; line: number; message: string; hint?: string }>;
    };
    expect(report.findings.map((f) => [f.code, f.pointer, f.hint])).toEqual([
      // `petstoreDescription` (twice written) where the source is `petStoreDescription`
      ['unknown-source', '/workflows/0/steps/0/operationId', 'did you mean "petStoreDescription"?'],
      ['unknown-source', '/workflows/0/steps/1/operationPath', 'did you mean "petStoreDescription"?'],
      // operationPath written with an AsyncAPI operation id (the schema's "unknown property" is folded in)
      [
        'channel-step-operation-path',
        '/workflows/0/steps/2/operationPath',
        'write operationId: $sourceDescriptions.asyncOrderApiDescription.placeOrder',
      ],
      [
        'channel-step-operation-path',
        '/workflows/0/steps/3/operationPath',
        'write operationId: $sourceDescriptions.asyncOrderApiDescription.confirmOrder',
      ],
      // `confirmOrder` is not an operation of pet-asyncapi.yaml: it is placeOrder's reply
      [
        'unknown-channel-operation',
        '/workflows/0/steps/3/operationPath',
        '"confirmOrder" is the reply of operation "placeOrder" (channel "confirm-order"): a receive step on "placeOrder" listens for it (operationId: $sourceDescriptions.asyncOrderApiDescription.placeOrder, action: receive)',
      ],
      // `$message.payload.orderId`: the ABNF reads a payload with a JSON Pointer
      ['invalid-expression', '/workflows/0/steps/3/outputs/orderId', 'did you mean `$message.payload#/orderId`?'],
      // header `orderCorrelationId` where the message requires (and correlates on) `orderRequestId`
      [
        'preflight-missing-message-header',
        '/workflows/0/steps/2/parameters',
        'rename header parameter "orderCorrelationId" to "orderRequestId" (message "placeOrder.message" declares no "orderCorrelationId")',
      ],
    ]);
  });

  it('--explain names the failure a message-step rule prevents', async () => {
    const { code, stdout } = await runCli(['check', '--explain', 'preflight-receive-without-timeout']);
    expect(code).toBe(0);
    expect(stdout).toContain('preflight-receive-without-timeout (error)');
    expect(stdout).toContain('waits for ever');
  });

  it('list says what each channel step does', async () => {
    const { code, stdout } = await runCli(['list', CORRECTED]);
    expect(code).toBe(0);
    expect(stdout).toContain('3. purchasePetStep → send $sourceDescriptions.asyncOrderApiDescription.placeOrder');
    expect(stdout).toContain(
      '4. confirmPetPurchaseStep → receive $sourceDescriptions.asyncOrderApiDescription.placeOrder',
    );
  });
});
