// `check` of a document whose description holds `$ref`s in example data and in `x-` extensions to
// addresses that cannot be reached: nothing is fetched (a listener on loopback counts every connection)
// and nothing is reported for them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

let listener: Server;
let connections = 0;
const sockets = new Set<Socket>();
let base = '';
const dir = mkdtempSync(join(tmpdir(), 'arazzo-data-refs-'));

beforeAll(async () => {
  listener = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const address = listener.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${address.port}`;
  writeFileSync(
    join(dir, 'users.arazzo.yaml'),
    `arazzo: 1.0.1
info: {title: SCIM users, version: 1.0.0}
sourceDescriptions:
  - {name: scim, url: ./scim.openapi.yaml, type: openapi}
workflows:
  - workflowId: read-user
    inputs: {type: object, required: [id], properties: {id: {type: string}}}
    steps:
      - stepId: getUser
        operationId: getUser
        parameters: [{name: id, in: path, value: $inputs.id}]
        successCriteria: [{condition: $statusCode == 200}]
        outputs: {userName: $response.body#/userName}
    outputs: {userName: $steps.getUser.outputs.userName}
`,
  );
  writeFileSync(
    join(dir, 'scim.openapi.yaml'),
    `openapi: 3.0.3
info: {title: SCIM, version: '2'}
servers: [{url: 'https://scim.example.test'}]
x-vendor: {$ref: '${base}/vendor-extension.yaml'}
paths:
  /Users/{id}:
    get:
      operationId: getUser
      x-code-samples: {$ref: '${base}/code-samples.yaml#/getUser'}
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: the user
          content:
            application/scim+json:
              schema:
                type: object
                properties:
                  userName: {type: string}
                  manager: {type: object, properties: {$ref: {type: string}, value: {type: string}}}
                example:
                  userName: bjensen
                  manager: {$ref: '${base}/Users/26118915', value: '26118915'}
              examples:
                withGroups:
                  value:
                    userName: bjensen
                    groups: [{$ref: '${base}/Groups/e9e30dba', value: e9e30dba}]
`,
  );
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => listener.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe.sequential('check and $refs inside data', () => {
  it('sends no request and reports nothing for them', async () => {
    const doc = join(dir, 'users.arazzo.yaml');
    const { code, stdout, stderr } = await runCli(['check', doc, '--json']);
    expect(stderr).toBe('');
    const report = JSON.parse(stdout);
    expect(report.findings).toEqual([]);
    expect(code).toBe(0);
    expect(connections).toBe(0);
  });

  it('a local document whose source is remote: not read without --allow-remote, and said so', async () => {
    const doc = join(dir, 'remote.arazzo.yaml');
    writeFileSync(
      doc,
      readFileSync(join(dir, 'users.arazzo.yaml'), 'utf8').replace('./scim.openapi.yaml', `${base}/scim.openapi.yaml`),
    );
    const { code, stdout } = await runCli(['check', doc]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/error \[source-unreadable\] .*: not read: it is remote, .*pass --allow-remote/);
    expect(connections).toBe(0);
    // Allowed, it is read (the listener answers 404, so it stays unreadable, but it was asked).
    const allowed = await runCli(['check', doc, '--allow-remote']);
    expect(allowed.code).toBe(1);
    expect(connections).toBeGreaterThan(0);
  });
});
