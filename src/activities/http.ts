// One HTTP exchange with undici, classified the way the interpreter needs: an answer (any status),
// a failure where the request provably never left (safe to send again, even for a POST), or a
// failure whose outcome is unknown (the server may have acted on it).
import { errors, request } from 'undici';
import type { HttpResponseView } from '../arazzo/plan/step-execution.js';

export interface HttpCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Bodies above this many bytes are refused (a step's response is parsed in memory). */
  maxBodyBytes?: number;
}

export type HttpOutcome =
  | { kind: 'response'; response: HttpResponseView; bodyBytes: number }
  | { kind: 'not-sent'; error: string }
  | { kind: 'unknown'; error: string };

/** Connection-level errors raised before a single byte of the request could have been sent. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

export function classifyTransportError(err: unknown): 'not-sent' | 'unknown' {
  const code = (err as { code?: string })?.code ?? (err as { cause?: { code?: string } })?.cause?.code;
  if (code && NOT_SENT_CODES.has(code)) return 'not-sent';
  if (err instanceof errors.ConnectTimeoutError) return 'not-sent';
  return 'unknown';
}

export async function sendHttp(call: HttpCall): Promise<HttpOutcome> {
  try {
    const res = await request(call.url, {
      method: call.method as never,
      headers: call.headers,
      body: call.body,
      headersTimeout: call.timeoutMs,
      bodyTimeout: call.timeoutMs,
      signal: call.signal,
    });
    const limit = call.maxBodyBytes ?? 64 * 1024 * 1024;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += chunk.length;
      if (size > limit) {
        res.body.destroy();
        return { kind: 'unknown', error: `response body larger than ${limit} bytes` };
      }
      chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    }
    return {
      kind: 'response',
      response: { statusCode: res.statusCode, headers, body: parseBody(text, headers['content-type']) },
      bodyBytes: size,
    };
  } catch (err) {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return { kind: classifyTransportError(err), error: message };
  }
}

/** JSON when the media type says so (or the text is JSON), the text otherwise, nothing when empty. */
function parseBody(text: string, contentType: string | undefined): unknown {
  if (text.length === 0) return undefined;
  const json = contentType ? /[/+]json\b/i.test(contentType) : false;
  if (json || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
