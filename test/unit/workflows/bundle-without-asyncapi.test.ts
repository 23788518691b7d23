// The AsyncAPI parser is an edge (src/asyncapi/): the workflow bundle must not contain it (nor anything
// from src/asyncapi), however the pure core's document loading grows. The real bundler, the real entry.
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';

describe('the workflow bundle', () => {
  it('holds no AsyncAPI parser', { timeout: 120_000 }, async () => {
    const { code } = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('../../../src/workflows/index.ts', import.meta.url)),
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
    });
    expect(code).toContain('arazzoRun'); // it is the real bundle
    expect(code).toMatch(/src\/arazzo\/document\//); // module paths are in it, so their absence means something
    expect(code).not.toMatch(/@asyncapi|parse-asyncapi|src\/asyncapi/);
  });
});
