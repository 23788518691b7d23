// The Arazzo documents in arazzo/: the seeds are kept byte-identical, the corrected rotations parse, use
// only operations (and parameters) our descriptions have, use braces for every expression embedded in a
// string, encode the facts (status codes, the input-named credential to revoke), and pass the engine's
// validator in strict mode with zero findings.
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadDocumentSet } from '../../../src/arazzo/document/index.js';
import { validateDocumentSet } from '../../../src/arazzo/validate/index.js';

const repo = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));
const load = (p: string) => parse(readFileSync(repo(p), 'utf8'));

const ROTATIONS = {
  prisma: 'arazzo/rotations/prisma-rotate-connection.arazzo.yaml',
  deepgram: 'arazzo/rotations/deepgram-rotate-key.arazzo.yaml',
} as const;
const SEEDS = ['prisma-postgres-rotate-connection-string.arazzo.yaml', 'deepgram-rotate-project-key.arazzo.yaml'];

interface Op {
  method: string;
  path: string;
  params: Set<string>;
}

function operationsOf(openapiPath: string): Map<string, Op> {
  const doc = load(openapiPath);
  const resolve = (p: any) => (p.$ref ? doc.components.parameters[p.$ref.split('/').pop()] : p);
  const ops = new Map<string, Op>();
  for (const [path, item] of Object.entries<any>(doc.paths))
    for (const [method, op] of Object.entries<any>(item)) {
      const params = new Set<string>((op.parameters ?? []).map((p: any) => `${resolve(p).in}:${resolve(p).name}`));
      ops.set(op.operationId, { method: method.toUpperCase(), path, params });
    }
  return ops;
}

function sourceOf(docPath: string): string {
  const doc = load(docPath);
  const url: string = doc.sourceDescriptions[0].url;
  return fileURLToPath(new URL(url, pathToFileURL(repo(docPath))));
}

/** Every string anywhere in the value, with its location. */
function strings(value: unknown, at = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${at}/${i}`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, `${at}/${k}`));
  return [];
}

describe('arazzo/seeds', () => {
  it.skipIf(!existsSync('/work/shared/seeds'))('are byte-identical copies of the shared seeds', () => {
    for (const name of SEEDS)
      expect(readFileSync(repo(`arazzo/seeds/${name}`)).equals(readFileSync(`/work/shared/seeds/${name}`))).toBe(true);
  });

  it('resolve their operationIds against our descriptions (same file names as the seeds reference)', () => {
    for (const name of SEEDS) {
      const doc = load(`arazzo/seeds/${name}`);
      const ops = operationsOf(`arazzo/${doc.sourceDescriptions[0].url.replace('../', '')}`);
      for (const step of doc.workflows[0].steps) expect(ops.has(step.operationId), step.operationId).toBe(true);
    }
  });
});

describe.each(Object.entries(ROTATIONS))('arazzo/rotations (%s)', (_name, docPath) => {
  const doc = load(docPath);
  const ops = operationsOf(sourceOf(docPath).replace(`${repo('')}`, ''));
  const workflow = doc.workflows[0];
  const targets = [
    ...workflow.steps,
    ...workflow.steps.filter((s: any) => s['x-compensation']).map((s: any) => s['x-compensation']),
  ];

  it('is Arazzo 1.0.1 with an OpenAPI source in ../openapi', () => {
    expect(doc.arazzo).toBe('1.0.1');
    expect(doc.sourceDescriptions).toHaveLength(1);
    expect(doc.sourceDescriptions[0]).toMatchObject({
      type: 'openapi',
      url: expect.stringMatching(/^\.\.\/openapi\//),
    });
    expect(existsSync(sourceOf(docPath))).toBe(true);
  });

  it('references only operations and parameters our description has (compensations included)', () => {
    for (const t of targets) {
      const op = ops.get(t.operationId);
      expect(op, t.operationId).toBeDefined();
      for (const p of t.parameters ?? [])
        expect(op!.params.has(`${p.in}:${p.name}`), `${t.operationId} ${p.name}`).toBe(true);
      const pathParams = [...op!.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const name of pathParams)
        expect(
          (t.parameters ?? []).some((p: any) => p.in === 'path' && p.name === name),
          `${t.operationId} {${name}}`,
        ).toBe(true);
    }
  });

  it('braces every expression embedded in a string; whole-value expressions stand alone', () => {
    for (const [at, s] of strings(doc)) {
      if (!s.includes('$') || at.includes('/description') || at.endsWith('/pattern') || at.endsWith('/condition'))
        continue;
      if (/^\$[a-zA-Z]/.test(s) && !/\s/.test(s)) continue; // one whole runtime expression
      const outside = s.replace(/\{\$[^}]*\}/g, '');
      expect(outside.includes('$'), `${at}: ${s}`).toBe(false);
    }
  });

  it('declares x-lock-key over inputs and an x-compensation that deletes what the create step made', () => {
    expect(workflow['x-lock-key']).toMatch(/^[a-z]+:\{\$inputs\.[a-zA-Z]+\}:\{\$inputs\.[a-zA-Z]+\}$/);
    const creates = workflow.steps.filter((s: any) => ops.get(s.operationId)?.method === 'POST');
    expect(creates).toHaveLength(1);
    const comp = creates[0]['x-compensation'];
    expect(ops.get(comp.operationId)?.method).toBe('DELETE');
    const idParam = comp.parameters.find(
      (p: any) => p.in === 'path' && /Id$|_id$/.test(p.name) && p.name !== 'project_id',
    );
    expect(idParam.value).toBe(`$steps.${creates[0].stepId}.outputs.${Object.keys(creates[0].outputs)[0]}`);
  });

  it('revokes exactly the input-named credential, after checking it and verifying the replacement', () => {
    const steps = workflow.steps;
    const idx = (pred: (s: any) => boolean) => steps.findIndex(pred);
    const del = idx((s: any) => ops.get(s.operationId)?.method === 'DELETE');
    const create = idx((s: any) => ops.get(s.operationId)?.method === 'POST');
    expect(del).toBe(steps.length - 1);
    const delId = steps[del].parameters.find((p: any) => p.in === 'path' && p.name !== 'project_id');
    expect(delId.value).toMatch(/^\$inputs\.old(Connection|Key)Id$/);
    // The same input is read (GET) before anything is created.
    const check = idx(
      (s: any) => ops.get(s.operationId)?.method === 'GET' && s.parameters.some((p: any) => p.value === delId.value),
    );
    expect(check).toBeGreaterThanOrEqual(0);
    expect(check).toBeLessThan(create);
    // The replacement is read back by id between create and delete.
    const newId = `$steps.${steps[create].stepId}.outputs.${Object.keys(steps[create].outputs)[0]}`;
    const verify = idx(
      (s: any) => ops.get(s.operationId)?.method === 'GET' && s.parameters.some((p: any) => p.value === newId),
    );
    expect(verify).toBeGreaterThan(create);
    expect(verify).toBeLessThan(del);
    // No step takes an id out of a listing.
    expect(JSON.stringify(doc)).not.toMatch(/#\/(data|api_keys)\/0/);
  });

  it('expects the status codes the real API sends', () => {
    const status = (s: any) => s.successCriteria.find((c: any) => /^\$statusCode == \d+$/.test(c.condition)).condition;
    for (const s of workflow.steps) {
      const method = ops.get(s.operationId)!.method;
      const expected = method === 'DELETE' && docPath === ROTATIONS.prisma ? 204 : 200;
      expect(status(s)).toBe(`$statusCode == ${expected}`);
    }
  });

  it('passes the engine validator in strict mode with zero findings', async () => {
    const set = await loadDocumentSet(pathToFileURL(repo(docPath)).href, {
      read: (url: string) => readFile(fileURLToPath(url), 'utf8'),
    });
    expect(validateDocumentSet(set, { strict: true })).toEqual([]);
  });
});

describe('arazzo/rotations/deepgram', () => {
  it('refuses to delete the key running the rotation, and proves the new key authenticates', () => {
    const steps = load(ROTATIONS.deepgram).workflows[0].steps;
    expect(steps[0].successCriteria.map((c: any) => c.condition)).toContain('$inputs.oldKeyId != $inputs.authKeyId');
    const auth = steps.find((s: any) => s.stepId === 'verifyReplacementAuthenticates');
    expect(auth.parameters.find((p: any) => p.name === 'Authorization').value).toBe(
      'Token {$steps.createReplacementKey.outputs.newKey}',
    );
  });
});
