// The Temporal Web UI in a real browser (Debian's chromium driven by playwright-core) for a rotation
// waiting for approval: what a person sees. The browser is required: the test fails, never skips,
// when /usr/bin/chromium is missing. Screenshots (and each page's text) go to test-artifacts/.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from '@temporalio/worker';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CodecServer, startCodecServer } from '../../src/codec/codec-server.js';
import { getEncryptionCodec } from '../../src/codec/data-converter.js';
import { prismaStartFlags, projectRoot, runCli } from '../support/cli.js';
import { startWorker, testPolicy } from '../support/rotation.js';
import { useSimulators } from '../support/simulators.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(projectRoot, 'test-artifacts');
const COMPLETED_STEPS = [
  'confirmDatabase: GET /databases/{databaseId}',
  'checkOldConnection: GET /connections/{connectionId}',
  'createConnection: POST /databases/{databaseId}/connections',
  'verifyReplacement: GET /connections/{connectionId}',
];

/** Everything the page holds: each frame's HTML and text, open shadow roots included. */
async function everything(page: Page): Promise<string> {
  const parts: string[] = [];
  for (const frame of page.frames()) {
    parts.push(
      await frame.evaluate(() => {
        const out: string[] = [];
        const walk = (root: Element | ShadowRoot) => {
          out.push(root instanceof Element ? root.outerHTML : root.innerHTML, root.textContent ?? '');
          for (const el of Array.from(root.querySelectorAll('*'))) if (el.shadowRoot) walk(el.shadowRoot);
        };
        walk(document.documentElement);
        return out.join('\n');
      }),
    );
  }
  return parts.join('\n');
}

/** The person sees it (waits for it to render). */
async function visible(locator: Locator, timeout = 20_000): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout });
}

/** Shown in one of the page's frames (the UI renders summary, details and current details in iframes). */
async function visibleInAFrame(page: Page, text: string | RegExp): Promise<void> {
  const shown = async () => {
    for (const frame of page.frames().slice(1)) {
      if (
        await frame
          .getByText(text)
          .first()
          .isVisible()
          .catch(() => false)
      )
        return true;
    }
    return false;
  };
  await expect.poll(shown, { timeout: 20_000, message: `no frame shows ${text}` }).toBe(true);
}

/** Exactly `n` of them on the page (once rendering settles). */
async function count(locator: Locator, n: number): Promise<void> {
  await expect.poll(() => locator.count(), { timeout: 20_000 }).toBe(n);
}

describe('Temporal Web UI: a rotation waiting for approval', () => {
  let env: TemporalTestEnv;
  let codec: CodecServer;
  const codecToken = randomBytes(24).toString('base64url');
  let worker: Worker;
  let running: Promise<void>;
  let browser: Browser;
  let work: string;
  const sims = useSimulators();

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`no browser at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (.ci/run does)`);
    }
    browser = await chromium.launch({ executablePath: CHROMIUM });
    env = await connectTestEnv();
    const encryption = getEncryptionCodec();
    if (!encryption) throw new Error('the e2e harness must run with a codec key');
    // The codec server the UI's browser side decodes through (CORS: the UI's origin), with its token.
    codec = await startCodecServer({ codec: encryption, port: 0, allowedOrigins: [env.uiUrl], token: codecToken });
    work = mkdtempSync(join(tmpdir(), 'arazzo-web-ui-'));
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    worker?.shutdown();
    await running;
    await codec?.close();
    await env?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function shoot(page: Page, name: string) {
    await page.screenshot({ path: join(ARTIFACTS, `web-ui-${name}.png`), fullPage: true });
    writeFileSync(join(ARTIFACTS, `web-ui-${name}.txt`), await everything(page));
  }

  /**
   * What a person does once per browser: authorize it at the codec server's /login with the token
   * (an HttpOnly session cookie), then in the UI: Codec Server → "use my browser setting" → endpoint →
   * "Include cross-origin credentials" → Apply.
   */
  async function configureCodec(page: Page) {
    const back = page.url();
    await page.goto(`${codec.url}/login`);
    await page.locator('input[name="token"]').fill(codecToken);
    await page.getByRole('button', { name: 'Authorize' }).click();
    await visible(page.getByText('This browser may now decode'));
    await page.goto(back);
    await page.locator('[data-testid^="data-encoder-status"]').first().click();
    await page.getByText('Use my browser setting and ignore Cluster-level setting.').click();
    await page.getByPlaceholder('Paste your endpoint here').fill(codec.url);
    await page.getByText('Include cross-origin credentials', { exact: true }).click();
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.reload();
  }

  it('shows the summary, a row per completed step, the pending approval and how to give it, the search attributes; the list filter finds it; no secret anywhere', async () => {
    const taskQueue = env.uniqueTaskQueue('web-ui');
    worker = await startWorker(
      env,
      taskQueue,
      testPolicy({
        secrets: { envAllow: ['WEB_UI_PRISMA_TOKEN'], sinkDir: join(work, 'delivered'), hostBindings: [] },
      }),
    );
    running = worker.run();
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    process.env.WEB_UI_PRISMA_TOKEN = seeded.serviceToken;
    const id = `web-ui-${taskQueue.slice(-8)}`;
    const started = await runCli([
      'start',
      'arazzo/rotations/prisma-rotate-connection.arazzo.yaml',
      '--task-queue',
      taskQueue,
      '--id',
      id,
      ...prismaStartFlags(prisma, seeded, `rotation-${id}`, '{"$secret":"env:WEB_UI_PRISMA_TOKEN"}'),
      '--deliver',
      'newConnectionString=file:web-ui-new-connection.txt',
      '--wait',
    ]);
    expect(started.code, started.stdout + started.stderr).toBe(0);
    expect(started.stdout).toContain(`run ${id}: awaiting-approval`);
    const minted = readFileSync(join(work, 'delivered', 'web-ui-new-connection.txt'), 'utf8').trim();
    const secrets = [seeded.serviceToken, seeded.connectionString, minted, codecToken];
    const seen: string[] = [];
    const link = /Web UI {6}(\S+)/.exec(started.stdout)![1];

    const page = await (await browser.newContext({ viewport: { width: 1600, height: 1200 } })).newPage();
    await page.goto(link);
    await configureCodec(page);
    await visible(page.getByRole('heading', { name: id }));

    // Event history, compact: one Activity row per completed step, named by its stepId with its summary.
    await page.getByText('Compact', { exact: true }).first().click();
    for (const summary of COMPLETED_STEPS) await count(page.getByText(summary, { exact: true }), 1);
    await count(page.getByText('runStep', { exact: true }), COMPLETED_STEPS.length);
    await count(page.getByText(/^revokeOldConnection: /), 0);
    await visible(page.getByText('awaiting approval of revokeOldConnection', { exact: true }));
    // The input, decoded: the token is a reference, not a value.
    await visible(page.getByText('"env:WEB_UI_PRISMA_TOKEN"'));
    await shoot(page, 'history-compact');
    seen.push(await everything(page));

    // User metadata: the static summary and details, and the current details with the commands.
    await page.getByText('User Metadata', { exact: true }).click();
    await visibleInAFrame(
      page,
      `Prisma Postgres - rotate one connection string — rotate-connection (databaseId=${seeded.databaseId}`,
    );
    await visibleInAFrame(page, /started by \S+ with arazzo-temporal/);
    await visibleInAFrame(page, /secret reference env:WEB_UI_PRISMA_TOKEN/);
    await visibleInAFrame(page, 'Approval pending for');
    // This worker has no approval policy: the details say so plainly.
    await visibleInAFrame(page, /approvals are NOT authenticated/);
    await visibleInAFrame(page, `temporal workflow signal --workflow-id ${id} --name approve --input`);
    await visibleInAFrame(page, `temporal workflow signal --workflow-id ${id} --name reject --input`);
    await visibleInAFrame(page, /secret delivered to file:web-ui-new-connection\.txt/);
    await shoot(page, 'user-metadata');
    seen.push(await everything(page));

    // The custom search attributes.
    await page.getByText('Search Attributes', { exact: true }).click();
    await visible(page.getByText('"ArazzoState": "awaiting-approval"'));
    await visible(page.getByText('"ArazzoWorkflowId": "rotate-connection"'));
    await visible(page.getByText(/"ArazzoStep": "\w+"/));
    await shoot(page, 'search-attributes');
    seen.push(await everything(page));

    // The workflow list filtered by the search attribute finds it (and another filter does not).
    const list = (query: string) =>
      `${env.uiUrl}/namespaces/${env.namespace}/workflows?query=${encodeURIComponent(query)}`;
    await page.goto(list('ArazzoState="awaiting-approval"'));
    await visible(page.getByText('ArazzoState = "awaiting-approval"'));
    await visible(page.getByRole('link', { name: id, exact: true }).first(), 30_000);
    await shoot(page, 'list-awaiting-approval');
    seen.push(await everything(page));
    await page.goto(list(`ArazzoState="completed" AND WorkflowId="${id}"`));
    await visible(page.getByText('ArazzoState = "completed"'));
    await visible(page.getByText('No Workflows Found'));
    await count(page.getByRole('link', { name: id, exact: true }), 0);

    // No secret value anywhere on any page: text, HTML, shadow roots, frames.
    const everywhere = seen.join('\n');
    expect(everywhere).toContain(seeded.databaseId); // the dump holds the page's data...
    // indexes, never the values: a failing test must not print a secret
    expect(secrets.flatMap((s, i) => (everywhere.includes(s) ? [i] : []))).toEqual([]); // ...and none of the secrets
  });
});
