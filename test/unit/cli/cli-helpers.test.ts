// The CLI's pure helpers: input parsing, links, summaries, document paths, masking.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandPath, resolveRunDocument } from '../../../src/cli/document-path.js';
import { UsageError } from '../../../src/cli/errors.js';
import { parseDeliveries, parseInputs, parseServers } from '../../../src/cli/parse-inputs.js';
import { maskOutputs } from '../../../src/cli/render-progress.js';
import { shown, staticSummary } from '../../../src/cli/run-summary.js';
import { describeInputs } from '../../../src/cli/commands/list.js';
import { webUiBase, workflowLink } from '../../../src/cli/web-ui.js';

const SCHEMA = {
  apiToken: { type: 'string' },
  comment: { type: 'string' },
  scopes: { type: 'array', items: { type: 'string' } },
  limit: { type: 'integer' },
};

describe('parseInputs', () => {
  it('types name=value by the schema: text for strings, JSON otherwise', () => {
    expect(parseInputs(['comment=123', 'scopes=["member"]', 'limit=5', 'other=true', 'free=abc'], SCHEMA)).toEqual({
      comment: '123',
      scopes: ['member'],
      limit: 5,
      other: true,
      free: 'abc',
    });
  });
  it('keeps secret references as references, even for string inputs', () => {
    expect(parseInputs(['apiToken={"$secret":"env:TOKEN"}'], SCHEMA)).toEqual({ apiToken: { $secret: 'env:TOKEN' } });
  });
  it('merges JSON objects and @files in order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-inputs-'));
    writeFileSync(join(dir, 'in.json'), JSON.stringify({ comment: 'from file', limit: 1 }));
    expect(parseInputs([`@${join(dir, 'in.json')}`, '{"limit": 2}', 'comment=last'], SCHEMA)).toEqual({
      comment: 'last',
      limit: 2,
    });
  });
  it('refuses what it cannot read as a usage error', () => {
    expect(() => parseInputs(['novalue'], SCHEMA)).toThrow(UsageError);
    expect(() => parseInputs(['limit=many'], SCHEMA)).toThrow(/not valid JSON for a integer input/);
    expect(() => parseInputs(['[1]'], SCHEMA)).toThrow(UsageError);
    expect(() => parseInputs(['@/no/such/file.json'], SCHEMA)).toThrow(/cannot read the file/);
    expect(() => parseServers(['api=ftp://x'])).toThrow(UsageError);
    expect(() => parseDeliveries(['newKey=nowhere'])).toThrow(UsageError);
  });
  it('servers and deliveries', () => {
    expect(parseServers(['api=http://127.0.0.1:4010/v1'])).toEqual({ api: 'http://127.0.0.1:4010/v1' });
    // An AsyncAPI source takes its server's host (a scheme is allowed); an OpenAPI source still needs a URL.
    const asyncSources = new Set(['events']);
    expect(parseServers(['events=localhost:9092', 'api=http://x/v1'], asyncSources)).toEqual({
      events: 'localhost:9092',
      api: 'http://x/v1',
    });
    expect(parseServers(['events=kafka://127.0.0.1:9092'], asyncSources)).toEqual({ events: 'kafka://127.0.0.1:9092' });
    expect(() => parseServers(['events=localhost:9092/place-order'], asyncSources)).toThrow(/host:port/);
    expect(() => parseServers(['api=localhost:9092'], asyncSources)).toThrow(/http\(s\)/);
    expect(parseDeliveries(['newKey=file:k.txt'])).toEqual({ newKey: 'file:k.txt' });
  });
});

describe('Web UI links', () => {
  it('explicit, Temporal Cloud, or the dev server (gRPC port + 1000)', () => {
    expect(webUiBase('127.0.0.1:7233', 'http://ui.example/', {})).toBe('http://ui.example');
    expect(webUiBase('127.0.0.1:7233', undefined, { ARAZZO_TEMPORAL_UI_URL: 'http://x:1' })).toBe('http://x:1');
    expect(webUiBase('ns.acct.tmprl.cloud:7233', undefined, {})).toBe('https://cloud.temporal.io');
    expect(webUiBase('localhost:7233', undefined, {})).toBe('http://localhost:8233');
    expect(workflowLink('http://u', 'default', 'a/b c', 'r1')).toBe(
      'http://u/namespaces/default/workflows/a%2Fb%20c/r1/history',
    );
  });
});

describe('static summary', () => {
  const parts = { title: 'Rotate', workflowId: 'wf', secretInputs: new Set(['apiToken']) };
  it('key non-secret inputs only', () => {
    const summary = staticSummary({ ...parts, inputs: { apiToken: 'sk-secret', databaseId: 'db1', scopes: ['x'] } });
    expect(summary).toBe('Rotate — wf (databaseId=db1)');
  });
  it('stays within 200 bytes', () => {
    const summary = staticSummary({
      ...parts,
      inputs: Object.fromEntries([...'abcdefgh'].map((k) => [k, 'é'.repeat(50)])),
    });
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(200);
    expect(summary.endsWith('…')).toBe(true);
  });
  it('shows references by name and masks plain secrets', () => {
    expect(shown('apiToken', { $secret: 'env:T' }, parts.secretInputs)).toBe('secret reference `env:T`');
    expect(shown('apiToken', 'sk-secret', parts.secretInputs)).toMatch(/^•••••• \(fp [0-9a-f]{4}\)$/);
    // What the worker would send as a value (another key besides $secret) is masked, not shown as a reference.
    expect(shown('apiToken', { $secret: 'env:T', note: 'x' }, parts.secretInputs)).toMatch(/^•••••• \(fp/);
    expect(maskOutputs({ newKey: 'sk-1', newKeyId: 'k1', ref: { $secret: 'delivered:file:x' } })).toEqual({
      newKey: expect.stringMatching(/^••••••/),
      newKeyId: 'k1',
      ref: 'secret reference delivered:file:x',
    });
  });
});

describe('describeInputs', () => {
  it('marks secret inputs by the engine rule (schema markers or a credential name, $refs followed)', () => {
    const workflow = {
      inputs: {
        type: 'object',
        properties: {
          dsn: { type: 'string', format: 'password' },
          blob: { type: 'string', writeOnly: true },
          other: { $ref: '#/components/inputs/marked' },
          apiToken: { type: 'string' },
          databaseId: { type: 'string' },
        },
      },
    };
    const document = { components: { inputs: { marked: { type: 'string', 'x-secret': true } } } };
    const secret = describeInputs(workflow as never, document as never).map((d) => [d.name, d.secret]);
    expect(Object.fromEntries(secret)).toEqual({
      dsn: true,
      blob: true,
      other: true,
      apiToken: true,
      databaseId: false,
    });
  });
});

describe('resolveRunDocument', () => {
  const root = mkdtempSync(join(tmpdir(), 'cli-root-'));
  mkdirSync(join(root, 'rotations'));
  writeFileSync(join(root, 'rotations', 'x.yaml'), 'arazzo: 1.0.1');
  it('from the current directory or from the root, sent root-relative', () => {
    expect(resolveRunDocument('rotations/x.yaml', root, tmpdir()).sent).toBe('rotations/x.yaml');
    expect(resolveRunDocument(join(root, 'rotations/x.yaml'), root).sent).toBe('rotations/x.yaml');
    expect(resolveRunDocument('https://h/x.yaml', root).sent).toBe('https://h/x.yaml');
  });
  it('refuses files outside the root and missing files', () => {
    const outside = join(tmpdir(), `outside-${Date.now()}.yaml`);
    writeFileSync(outside, '');
    expect(() => resolveRunDocument(outside, root)).toThrow(/outside the worker's document root/);
    expect(() => resolveRunDocument('nope.yaml', root)).toThrow(/document not found/);
  });
});

describe('commandPath (document paths in printed commands)', () => {
  it('relative to the current directory when below it, else absolute; quoted for a POSIX shell when needed', () => {
    expect(commandPath('/work/p/arazzo/rotations/x.yaml', '/work/p')).toBe('arazzo/rotations/x.yaml');
    expect(commandPath('rotations/x.yaml', '/work/p/arazzo')).toBe('rotations/x.yaml');
    expect(commandPath('/srv/docs/x.yaml', '/work/p')).toBe('/srv/docs/x.yaml');
    expect(commandPath('../docs/x.yaml', '/work/p')).toBe('/work/docs/x.yaml');
    expect(commandPath('/srv/doc root/x.yaml', '/work')).toBe("'/srv/doc root/x.yaml'");
    expect(commandPath("/srv/it's/x.yaml", '/work')).toBe("'/srv/it'\\''s/x.yaml'");
    expect(commandPath('https://docs.example/x.yaml', '/work')).toBe('https://docs.example/x.yaml');
  });
});
