// Test harness for the simulators, for unit and end-to-end suites: every simulator started through it checks
// every response it sends against the vendor's OFFICIAL OpenAPI document, and the test fails (afterEach) on any
// disagreement, or if any response went unchecked.
import { afterEach } from 'vitest';
import {
  type DeepgramSimulator,
  type DeepgramSimulatorOptions,
  type PrismaSimulator,
  type PrismaSimulatorOptions,
  type Simulator,
  startDeepgramSimulator,
  startPrismaSimulator,
} from '../../src/simulators/index.js';

export function useSimulators() {
  const started: Simulator[] = [];
  afterEach(async () => {
    const sims = started.splice(0);
    await Promise.all(sims.map((s) => s.close()));
    for (const s of sims) {
      // Every response sent was checked, and none disagrees with the official document.
      const responded = s.audit.entries.filter((e) => e.source === 'http' && e.outcome === 'responded').length;
      if (s.contract?.checked !== responded)
        throw new Error(`contract checked ${s.contract?.checked} of ${responded} responses`);
      s.contract.assertNoViolations();
    }
  });
  return {
    async prisma(options: PrismaSimulatorOptions = {}): Promise<PrismaSimulator> {
      const sim = await startPrismaSimulator({ port: 0, contractCheck: true, ...options });
      started.push(sim);
      return sim;
    },
    async deepgram(options: DeepgramSimulatorOptions = {}): Promise<DeepgramSimulator> {
      const sim = await startDeepgramSimulator({ port: 0, contractCheck: true, ...options });
      started.push(sim);
      return sim;
    },
  };
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

/** One real HTTP request over loopback (global fetch, i.e. undici). */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { auth?: string; body?: unknown; rawBody?: string; query?: Record<string, string> } = {},
): Promise<Reply> {
  const url = new URL(baseUrl + path);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = {};
  if (options.auth !== undefined) headers.authorization = options.auth;
  let body: string | undefined;
  if (options.body !== undefined || options.rawBody !== undefined) {
    headers['content-type'] = 'application/json';
    body = options.rawBody ?? JSON.stringify(options.body);
  }
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/** True when `haystack` contains none of the secrets (used instead of printing anything secret on failure). */
export function containsNone(haystack: string, secrets: string[]): boolean {
  return secrets.every((s) => !haystack.includes(s));
}

/** The password embedded in a connection string. */
export function passwordOf(connectionString: string): string {
  return decodeURIComponent(new URL(connectionString).password);
}
