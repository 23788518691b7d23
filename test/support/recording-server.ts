// A real HTTP server on loopback for the Arazzo 1.1 end-to-end tests: it answers each route from a
// script and keeps every request exactly as it arrived (method, raw path and query, headers, body
// text), so a test can assert the request the run sent byte for byte.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  /** Path and query exactly as sent (`/search?a=1&b=2`). */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ScriptedResponse {
  status?: number;
  contentType?: string;
  body?: string;
  /** Milliseconds to wait before answering (a slow API). */
  delayMs?: number;
}

/** Route key: `METHOD /path` (no query); the handler sees the request and answers. */
export type Script = Record<string, (request: ReceivedRequest) => ScriptedResponse>;

export interface RecordingServer {
  url: string;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

export async function startRecordingServer(script: Script): Promise<RecordingServer> {
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: ReceivedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(request);
      const route = script[`${request.method} ${request.url.split('?')[0]}`];
      const answer: ScriptedResponse = route ? route(request) : { status: 404, body: '{"error":"no such route"}' };
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status ?? 200, { 'content-type': answer.contentType ?? 'application/json' });
        res.end(answer.body ?? '');
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The parts of a received request a test asserts: method, url, the headers it names, body. */
export function requestSummary(request: ReceivedRequest, headers: string[] = ['content-type']) {
  return {
    method: request.method,
    url: request.url,
    headers: Object.fromEntries(
      headers.flatMap((h) => (request.headers[h] === undefined ? [] : [[h, request.headers[h]]])),
    ),
    body: request.body,
  };
}
