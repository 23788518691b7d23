// Scenario 2b: a step whose response is a 1 MB JSON list vs a small one. Ours: the step's added time
// over the bare HTTP time, and what reaches history (only what outputs reference). Respect: the same
// one-step document, its added wall time.
import { request } from 'undici';
import type { ArazzoRunInput } from '../../src/workflows/types.js';
import type { BenchEnv } from '../lib/environment.js';
import { fmt, kib, num, type Table } from '../lib/format.js';
import { activityStartToCloseMs, historyStats } from '../lib/history.js';
import { respectOnce } from '../lib/respect.js';
import { type Summary, summarize } from '../lib/stats.js';
import { nowMs } from '../lib/time.js';
import { startListServer } from '../fixtures/large-list-server.js';
import type { BenchParams } from '../params.js';
import { join } from 'node:path';
import { repoRoot } from '../lib/environment.js';

const DOCUMENT = 'bench/fixtures/large-list.arazzo.yaml';
type Size = 'small' | 'large';

export interface LargeResponseResult {
  largeBytes: number;
  bareHttpMs: Record<Size, Summary>;
  jsonParseMs: Summary;
  stepMs: Record<Size, Summary>;
  runMs: Record<Size, Summary>;
  addedOverBareMs: Summary;
  historyBytes: Record<Size, number>;
  respectRunMs?: Record<Size, Summary>;
  respectAddedMs?: Summary;
  tables: Table[];
}

async function bareHttp(url: string): Promise<{ ms: number; text: string }> {
  const start = nowMs();
  const res = await request(url);
  const text = await res.body.text();
  return { ms: nowMs() - start, text };
}

export async function runLargeResponse(env: BenchEnv, params: BenchParams): Promise<LargeResponseResult> {
  const server = await startListServer(params.largeResponse.largeBytes);
  const worker = await env.startWorker('interpreter');
  const sizes: Size[] = ['small', 'large'];
  const bare: Record<Size, number[]> = { small: [], large: [] };
  const step: Record<Size, number[]> = { small: [], large: [] };
  const run: Record<Size, number[]> = { small: [], large: [] };
  const parse: number[] = [];
  const added: number[] = [];
  const lastRun: Record<Size, string> = { small: '', large: '' };
  const respectRun: Record<Size, number[]> = { small: [], large: [] };
  try {
    const once = async (size: Size) => {
      const input: ArazzoRunInput = {
        document: DOCUMENT,
        inputs: { size },
        servers: { itemsApi: server.url },
        approval: { mode: 'none' },
      };
      const start = nowMs();
      const handle = await env.client.workflow.start('arazzoRun', {
        taskQueue: worker.taskQueue,
        workflowId: `bench-list-${size}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
        args: [input],
      });
      await handle.result();
      run[size].push(nowMs() - start);
      step[size].push(await activityStartToCloseMs(env.client, handle.workflowId, 'runStep'));
      lastRun[size] = handle.workflowId;
    };
    await once('small'); // warm-up
    await once('large');
    for (const s of sizes) {
      step[s].length = 0;
      run[s].length = 0;
    }
    for (let i = 0; i < params.largeResponse.pairs; i++) {
      for (const size of i % 2 ? sizes : [...sizes].reverse()) {
        const b = await bareHttp(`${server.url}/items?size=${size}`);
        bare[size].push(b.ms);
        if (size === 'large') {
          const t = nowMs();
          JSON.parse(b.text);
          parse.push(nowMs() - t);
        }
        await once(size);
      }
      added.push(step.large[i] - step.small[i] - (bare.large[i] - bare.small[i]));
    }
    const document = join(repoRoot, DOCUMENT);
    for (let i = 0; i < params.respect.largeResponsePairs; i++) {
      for (const size of sizes) {
        respectRun[size].push(await respectOnce(document, `itemsApi=${server.url}`, `size=${size}`));
      }
    }
  } finally {
    await worker.stop();
    await server.close();
  }
  const historyBytes = {
    small: (await historyStats(env.client, lastRun.small)).bytes,
    large: (await historyStats(env.client, lastRun.large)).bytes,
  };
  const respectAdded = respectRun.large.map((ms, i) => ms - respectRun.small[i]);
  const r: Omit<LargeResponseResult, 'tables'> = {
    largeBytes: server.largeBytes,
    bareHttpMs: { small: summarize(bare.small), large: summarize(bare.large) },
    jsonParseMs: summarize(parse),
    stepMs: { small: summarize(step.small), large: summarize(step.large) },
    runMs: { small: summarize(run.small), large: summarize(run.large) },
    addedOverBareMs: summarize(added),
    historyBytes,
    respectRunMs: { small: summarize(respectRun.small), large: summarize(respectRun.large) },
    respectAddedMs: summarize(respectAdded),
  };
  const mb = num(r.largeBytes / 1e6, 2);
  return {
    ...r,
    tables: [
      {
        title: `2b. A step returning a ${mb} MB JSON list vs a small one (one-step document, loopback server)`,
        columns: ['measurement', 'small list', `${mb} MB list`, 'added by the large list'],
        rows: [
          ['bare HTTP: undici request + body read (ms)', fmt(r.bareHttpMs.small, 2), fmt(r.bareHttpMs.large, 2), ''],
          ['JSON.parse of the large body alone (ms)', '', fmt(r.jsonParseMs, 2), ''],
          [
            'ours: the step activity, started to completed in history (ms)',
            fmt(r.stepMs.small, 1),
            fmt(r.stepMs.large, 1),
            `${fmt(r.addedOverBareMs, 1)} over the bare HTTP difference`,
          ],
          ['ours: whole run, start to result (ms)', fmt(r.runMs.small, 0), fmt(r.runMs.large, 0), ''],
          [
            'ours: history of the run (KiB)',
            num(kib(historyBytes.small), 1),
            num(kib(historyBytes.large), 1),
            `${num(historyBytes.large - historyBytes.small, 0)} bytes`,
          ],
          [
            'Respect: one run, wall time (ms)',
            fmt(r.respectRunMs?.small, 0),
            fmt(r.respectRunMs?.large, 0),
            fmt(r.respectAddedMs, 0),
          ],
        ],
        notes: [
          'Added time of ours = (step time with the large list − with the small list) − (bare HTTP large − small), per interleaved pair. History: the output references one field (`$response.body#/items/0/id`), so the list never reaches history.',
        ],
      },
    ],
  };
}
