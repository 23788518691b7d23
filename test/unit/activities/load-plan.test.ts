// The real load activity outside a workflow (MockActivityEnvironment): documents too large, alias bombs,
// symbolic links leading out of the document root, and the heartbeats a load sends. Real files in a
// temporary document root, real HTTP over loopback for documents given as URLs.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApplicationFailure, type Logger } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, describe, expect, it } from 'vitest';
import type { WorkerPolicy } from '../../../src/activities/config.js';
import { createActivities, type LoadPlanInput, type LoadPlanResult } from '../../../src/activities/index.js';
import { SETTLED_MS } from '../../../src/activities/document-read.js';
import { testPolicy } from '../../support/rotation.js';

// Plans are sealed by loadPlan; without codec keys the seal key comes from here (no key file written).
process.env.ARAZZO_PLAN_SEAL_KEY ??= Buffer.alloc(32, 7).toString('base64');

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const ROTATION = readFileSync(join(repo, 'arazzo/rotations/prisma-rotate-connection.arazzo.yaml'), 'utf8');
const API = readFileSync(join(repo, 'arazzo/openapi/prisma-postgres-management-openapi.yml'), 'utf8');
const INPUTS = { apiToken: 'tok', databaseId: 'db_abc123', oldConnectionId: 'con_abc123', newName: 'replacement' };
const LIMIT = 64 * 1024;

// root/rotations/*.arazzo.yaml name their source as ../openapi/…, as in the project's own root.
const work = mkdtempSync(join(tmpdir(), 'arazzo-load-plan-'));
const root = join(work, 'root');
const outside = join(work, 'outside');
for (const d of [join(root, 'rotations'), join(root, 'openapi'), outside]) mkdirSync(d, { recursive: true });
writeFileSync(join(root, 'rotations/rotation.arazzo.yaml'), ROTATION);
writeFileSync(join(root, 'openapi/prisma-postgres-management-openapi.yml'), API);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `text` grown past `bytes` with YAML comment lines (still the same document). */
const padded = (text: string, bytes: number) =>
  `${text}\n${'# padding padding padding padding padding\n'.repeat(Math.ceil(bytes / 41))}`;

const quiet: Logger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

function load(
  document: string,
  policy: Partial<WorkerPolicy> = {},
  env = new MockActivityEnvironment({}, { logger: quiet }),
): Promise<LoadPlanResult> {
  const activities = createActivities(testPolicy({ documentRoot: root, maxDocumentBytes: LIMIT, ...policy }));
  const input: LoadPlanInput = { document, inputs: INPUTS };
  return env.run(activities.loadPlan, input) as Promise<LoadPlanResult>;
}

/** The failure `load` throws (the test fails if it returns). */
async function refusal(document: string, policy: Partial<WorkerPolicy> = {}): Promise<ApplicationFailure> {
  const outcome = await load(document, policy).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(outcome, `${document} was loaded`).toBeInstanceOf(ApplicationFailure);
  return outcome as ApplicationFailure;
}

describe('loadPlan: resource limits', () => {
  it('loads the rotation within the limit', async () => {
    const loaded = await load('rotations/rotation.arazzo.yaml');
    expect(loaded.plan.workflowId).toBe('rotate-connection');
  });

  it('refuses a document over the limit: non-retryable InvalidDocument naming the file, its size and the limit', async () => {
    const text = padded(ROTATION, LIMIT);
    writeFileSync(join(root, 'rotations/big.arazzo.yaml'), text);
    const failure = await refusal('rotations/big.arazzo.yaml');
    expect(failure).toMatchObject({ type: 'InvalidDocument', nonRetryable: true });
    expect(failure.message).toContain('rotations/big.arazzo.yaml');
    expect(failure.message).toContain(`(${Buffer.byteLength(text)} bytes)`);
    expect(failure.message).toContain(`(${LIMIT} bytes)`);
    expect(failure.message).toContain('ARAZZO_MAX_DOCUMENT_BYTES');
    // The same document under a larger limit loads.
    expect((await load('rotations/big.arazzo.yaml', { maxDocumentBytes: 4 * LIMIT })).plan.workflowId).toBe(
      'rotate-connection',
    );
  });

  it('refuses a source description over the limit the same way', async () => {
    mkdirSync(join(root, 'big-source/rotations'), { recursive: true });
    mkdirSync(join(root, 'big-source/openapi'), { recursive: true });
    writeFileSync(join(root, 'big-source/rotations/rotation.arazzo.yaml'), ROTATION);
    writeFileSync(join(root, 'big-source/openapi/prisma-postgres-management-openapi.yml'), padded(API, LIMIT));
    const failure = await refusal('big-source/rotations/rotation.arazzo.yaml');
    expect(failure).toMatchObject({ type: 'InvalidDocument', nonRetryable: true });
    expect(failure.message).toContain('big-source/openapi/prisma-postgres-management-openapi.yml');
    expect(failure.message).toContain(`(${LIMIT} bytes)`);
  });

  it('refuses an alias bomb, in the document or in a source description, as non-retryable InvalidDocument', async () => {
    const bomb = [
      'x-laughs:',
      '  a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]',
      ...['b', 'c', 'd', 'e', 'f'].map((k, i) => `  ${k}: &${k} [${new Array(9).fill(`*${'abcde'[i]}`).join(', ')}]`),
      '',
    ].join('\n');
    writeFileSync(join(root, 'rotations/bomb.arazzo.yaml'), `${ROTATION}\n${bomb}`);
    const failure = await refusal('rotations/bomb.arazzo.yaml');
    expect(failure).toMatchObject({ type: 'InvalidDocument', nonRetryable: true });
    expect(failure.message).toMatch(/bomb\.arazzo\.yaml:\d+:\d+ error \[yaml-alias-limit\]/);

    mkdirSync(join(root, 'bomb-source/rotations'), { recursive: true });
    mkdirSync(join(root, 'bomb-source/openapi'), { recursive: true });
    writeFileSync(join(root, 'bomb-source/rotations/rotation.arazzo.yaml'), ROTATION);
    writeFileSync(join(root, 'bomb-source/openapi/prisma-postgres-management-openapi.yml'), `${API}\n${bomb}`);
    const inSource = await refusal('bomb-source/rotations/rotation.arazzo.yaml');
    expect(inSource).toMatchObject({ type: 'InvalidDocument', nonRetryable: true });
    expect(inSource.message).toMatch(/prisma-postgres-management-openapi\.yml:\d+:\d+ error \[yaml-alias-limit\]/);
  });
});

describe('loadPlan: symbolic links and the document root', () => {
  it('refuses a document that is a symbolic link to a file outside the root (DocumentNotAllowed)', async () => {
    writeFileSync(join(outside, 'rotation.arazzo.yaml'), ROTATION.replace('../openapi/', `${join(root, 'openapi')}/`));
    symlinkSync(join(outside, 'rotation.arazzo.yaml'), join(root, 'rotations/escape.arazzo.yaml'));
    const failure = await refusal('rotations/escape.arazzo.yaml');
    expect(failure).toMatchObject({ type: 'DocumentNotAllowed', nonRetryable: true });
    expect(failure.message).toMatch(/^document rotations\/escape\.arazzo\.yaml .*outside the worker's document root/);
    expect(failure.message).not.toContain(outside);
  });

  it('refuses a document below a directory that is a symbolic link out of the root', async () => {
    mkdirSync(join(outside, 'rotations'));
    writeFileSync(join(outside, 'rotations/rotation.arazzo.yaml'), ROTATION);
    symlinkSync(join(outside, 'rotations'), join(root, 'linked-dir'));
    const failure = await refusal('linked-dir/rotation.arazzo.yaml');
    expect(failure).toMatchObject({ type: 'DocumentNotAllowed', nonRetryable: true });
  });

  it('refuses a source description that is a symbolic link out of the root', async () => {
    mkdirSync(join(root, 'source-link/rotations'), { recursive: true });
    mkdirSync(join(root, 'source-link/openapi'), { recursive: true });
    writeFileSync(join(root, 'source-link/rotations/rotation.arazzo.yaml'), ROTATION);
    writeFileSync(join(outside, 'api.yml'), API);
    symlinkSync(join(outside, 'api.yml'), join(root, 'source-link/openapi/prisma-postgres-management-openapi.yml'));
    const failure = await refusal('source-link/rotations/rotation.arazzo.yaml');
    expect(failure).toMatchObject({ type: 'InvalidDocument', nonRetryable: true });
    expect(failure.message).toMatch(/cannot read source description .*outside the worker's document root/);
  });

  it('follows a symbolic link that stays inside the root, and a root that is itself a link', async () => {
    symlinkSync(join(root, 'rotations/rotation.arazzo.yaml'), join(root, 'rotations/inside.arazzo.yaml'));
    expect((await load('rotations/inside.arazzo.yaml')).plan.workflowId).toBe('rotate-connection');
    const linkedRoot = join(work, 'root-link');
    symlinkSync(root, linkedRoot);
    expect((await load('rotations/rotation.arazzo.yaml', { documentRoot: linkedRoot })).plan.workflowId).toBe(
      'rotate-connection',
    );
  });
});

describe('loadPlan: heartbeats', () => {
  it('heartbeats between its phases, and while it waits for a slow source description', async () => {
    // The document by URL from a loopback server that answers the source description after 2.5 s.
    let sourceAsked = 0;
    let sourceAnswered = 0;
    const server: Server = createServer((req, res) => {
      if (req.url === '/rotations/rotation.arazzo.yaml') return void res.end(ROTATION);
      if (req.url === '/openapi/prisma-postgres-management-openapi.yml') {
        sourceAsked = Date.now();
        setTimeout(() => {
          sourceAnswered = Date.now();
          res.end(API);
        }, 2500);
        return;
      }
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const env = new MockActivityEnvironment({}, { logger: quiet });
      const beats: number[] = [];
      env.on('heartbeat', () => beats.push(Date.now()));
      const loaded = await load(
        `http://127.0.0.1:${port}/rotations/rotation.arazzo.yaml`,
        { allowedDocumentHosts: ['127.0.0.1'] },
        env,
      );
      const finished = Date.now();
      expect(loaded.plan.workflowId).toBe('rotate-connection');
      expect(sourceAnswered).toBeGreaterThan(0);
      // While it waited, at least once a second; after the source came, again for the phases after.
      expect(beats.filter((t) => t > sourceAsked && t <= sourceAnswered).length).toBeGreaterThanOrEqual(2);
      expect(beats.filter((t) => t >= sourceAnswered && t <= finished).length).toBeGreaterThanOrEqual(2);
    } finally {
      server.close();
    }
  });

  it('heartbeats during a load from files too', async () => {
    const env = new MockActivityEnvironment({}, { logger: quiet });
    let beats = 0;
    env.on('heartbeat', () => beats++);
    await load('rotations/rotation.arazzo.yaml', {}, env);
    expect(beats).toBeGreaterThanOrEqual(3);
  });
});

describe('loadPlan: the document cache', () => {
  it('does not read a settled, unchanged document again; an edited one is read and planned afresh', async () => {
    const file = join(root, 'rotations/cached.arazzo.yaml');
    writeFileSync(file, ROTATION);
    // Only a file left alone for SETTLED_MS is trusted by its stamp (document-read.ts).
    await new Promise((resolve) => setTimeout(resolve, SETTLED_MS + 100));
    const activities = createActivities(testPolicy({ documentRoot: root, maxDocumentBytes: LIMIT }));
    const run = async () => {
      const env = new MockActivityEnvironment({}, { logger: quiet });
      const phases: unknown[] = [];
      env.on('heartbeat', (phase: unknown) => phases.push(phase));
      const input: LoadPlanInput = { document: 'rotations/cached.arazzo.yaml', inputs: INPUTS };
      const loaded = (await env.run(activities.loadPlan, input)) as LoadPlanResult;
      return { loaded, read: phases.includes('reading') };
    };
    expect((await run()).read).toBe(true);
    const again = await run();
    expect(again.read).toBe(false);
    expect(again.loaded.plan.workflowId).toBe('rotate-connection');
    // Edited (same size: the stamp still moves, with the change time): read, and the plan says so.
    const edited = ROTATION.replace('The database exists', 'The DATABASE exists');
    expect(edited.length).toBe(ROTATION.length);
    writeFileSync(file, edited);
    const fresh = await run();
    expect(fresh.read).toBe(true);
    expect(JSON.stringify(fresh.loaded.plan)).toContain('The DATABASE exists');
  });

  it('a document found inside the root once, then pointed out of it, is refused the next time', async () => {
    const inside = join(root, 'rotations/pointed-target.arazzo.yaml');
    const away = join(outside, 'pointed-away.arazzo.yaml');
    const link = join(root, 'rotations/pointed.arazzo.yaml');
    writeFileSync(inside, ROTATION);
    writeFileSync(away, ROTATION.replace('../openapi/', `${join(root, 'openapi')}/`));
    symlinkSync(inside, link);
    // Both files settled: their stamps are trusted, so this is the path that skips resolving real paths.
    await new Promise((resolve) => setTimeout(resolve, SETTLED_MS + 100));
    const activities = createActivities(testPolicy({ documentRoot: root, maxDocumentBytes: LIMIT }));
    const run = () =>
      new MockActivityEnvironment({}, { logger: quiet }).run(activities.loadPlan, {
        document: 'rotations/pointed.arazzo.yaml',
        inputs: INPUTS,
      }) as Promise<LoadPlanResult>;
    expect((await run()).plan.workflowId).toBe('rotate-connection');
    expect((await run()).plan.workflowId).toBe('rotate-connection');
    unlinkSync(link);
    symlinkSync(away, link);
    const failure = await run().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toMatchObject({ type: 'DocumentNotAllowed', nonRetryable: true });
  });
});
