// The workflow bundle the e2e tests run: every production workflow plus small fixtures for the harness.
export * from '../../src/workflows/index.js';
export * from './fixture-workflows.js';
