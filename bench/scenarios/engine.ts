// Scenario 3: the pure engine alone, in this process: runtime expressions per second, and load +
// validate + pre-flight of each seed, each corrected rotation and a generated 1 MB description.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadDocumentSet } from '../../src/arazzo/document/index.js';
import {
  type ExpressionContext,
  evaluateExpression,
  evaluateTemplate,
  parseRuntimeExpression,
  parseValueTemplate,
} from '../../src/arazzo/expressions/index.js';
import { preflight } from '../../src/arazzo/preflight/index.js';
import { validateDocumentSet } from '../../src/arazzo/validate/index.js';
import { writeLargeDescription } from '../fixtures/large-description.js';
import { repoRoot } from '../lib/environment.js';
import { fmt, num, type Table } from '../lib/format.js';
import { type Summary, summarize } from '../lib/stats.js';
import { nowMs } from '../lib/time.js';
import type { BenchParams } from '../params.js';

/** Expressions as the corrected rotations write them. */
const EXPRESSIONS = [
  '$statusCode',
  '$inputs.databaseId',
  '$response.body#/data/status',
  '$response.body#/data/endpoints/direct/connectionString',
  '$steps.createConnection.outputs.newConnectionId',
  '$response.header.content-type',
];
const TEMPLATE = 'Bearer {$inputs.apiToken}';

const context: ExpressionContext = {
  statusCode: 200,
  inputs: { databaseId: 'db_cabc', apiToken: 'token-value' },
  steps: { createConnection: { outputs: { newConnectionId: 'con_cnew' } } },
  response: {
    headers: { 'content-type': 'application/json' },
    body: {
      data: {
        id: 'con_cnew',
        status: 'ready',
        endpoints: { direct: { host: 'db.prisma.io', connectionString: 'postgres://u:p@db.prisma.io/postgres' } },
      },
    },
  },
};

/** Operations per second over `loopMs`, each operation being one pass over all expressions. */
function rate(loopMs: number, pass: () => void): number {
  let ops = 0;
  const start = nowMs();
  while (nowMs() - start < loopMs) {
    for (let i = 0; i < 100; i++) pass();
    ops += 100;
  }
  return (ops * (EXPRESSIONS.length + 1)) / ((nowMs() - start) / 1000);
}

/** Results go here so the optimizer cannot drop the work. */
const sink: unknown[] = [];

function expressionRates(params: BenchParams) {
  const parsed = EXPRESSIONS.map((e) => {
    const p = parseRuntimeExpression(e);
    if (!p.ok) throw new Error(`${e}: ${p.error.message}`);
    return p.value;
  });
  const template = parseValueTemplate(TEMPLATE);
  if (!template.ok) throw new Error(template.error.message);
  const evaluateOnly = () => {
    for (const e of parsed) sink[0] = evaluateExpression(e, context);
    sink[0] = evaluateTemplate(template.value, context);
  };
  const parseAndEvaluate = () => {
    for (const text of EXPRESSIONS) {
      const p = parseRuntimeExpression(text);
      if (p.ok) sink[0] = evaluateExpression(p.value, context);
    }
    const t = parseValueTemplate(TEMPLATE);
    if (t.ok) sink[0] = evaluateTemplate(t.value, context);
  };
  rate(params.engine.loopMs, evaluateOnly); // warm-up
  rate(params.engine.loopMs, parseAndEvaluate);
  const evaluate: number[] = [];
  const both: number[] = [];
  for (let rep = 0; rep < params.engine.reps; rep++) {
    evaluate.push(rate(params.engine.loopMs, evaluateOnly));
    both.push(rate(params.engine.loopMs, parseAndEvaluate));
  }
  return { evaluate: summarize(evaluate), parseAndEvaluate: summarize(both) };
}

interface DocumentTiming {
  document: string;
  bytes: number;
  loadMs: Summary;
  validateMs: Summary;
  preflightMs: Summary;
  totalMs: Summary;
  errors: number;
}

const read = (path: string) => Promise.resolve(readFileSync(path.startsWith('file:') ? new URL(path) : path, 'utf8'));

async function timeDocument(path: string, label: string, reps: number, bytes: number): Promise<DocumentTiming> {
  const load: number[] = [];
  const validate: number[] = [];
  const pre: number[] = [];
  let errors = 0;
  for (let rep = 0; rep < reps; rep++) {
    const t0 = nowMs();
    const set = await loadDocumentSet(path, { read });
    const t1 = nowMs();
    const findings = validateDocumentSet(set);
    const t2 = nowMs();
    const preflightFindings = preflight(set);
    const t3 = nowMs();
    load.push(t1 - t0);
    validate.push(t2 - t1);
    pre.push(t3 - t2);
    errors = [...findings, ...preflightFindings].filter((f) => f.severity === 'error').length;
  }
  const total = load.map((l, i) => l + validate[i] + pre[i]);
  return {
    document: label,
    bytes,
    loadMs: summarize(load),
    validateMs: summarize(validate),
    preflightMs: summarize(pre),
    totalMs: summarize(total),
    errors,
  };
}

export interface EngineResult {
  expressionsPerSecond: { evaluate: Summary; parseAndEvaluate: Summary };
  documents: DocumentTiming[];
  tables: Table[];
}

export async function runEngine(workDir: string, params: BenchParams): Promise<EngineResult> {
  const expressionsPerSecond = expressionRates(params);
  const documents: DocumentTiming[] = [];
  const size = (p: string) => Buffer.byteLength(readFileSync(p));
  for (const folder of ['arazzo/seeds', 'arazzo/rotations']) {
    for (const file of readdirSync(join(repoRoot, folder))
      .filter((f) => f.endsWith('.arazzo.yaml'))
      .sort()) {
      const path = join(repoRoot, folder, file);
      documents.push(await timeDocument(path, `${folder}/${file}`, params.engine.reps, size(path)));
    }
  }
  for (const [bytes, aliases] of [
    [params.engine.largeDescriptionBytes, false],
    [params.engine.aliasedDescriptionBytes, true],
  ] as const) {
    const dir = join(workDir, aliases ? 'large-aliased' : 'large');
    mkdirSync(dir, { recursive: true });
    const large = writeLargeDescription(dir, bytes, aliases);
    const label = `generated: ${basename(large.arazzoPath)} + ${num(large.descriptionBytes / 1e6, 2)} MB OpenAPI${aliases ? ' written with YAML anchors/aliases' : ''}`;
    // Loading with aliases grows faster than linearly: measured once.
    documents.push(
      await timeDocument(large.arazzoPath, label, aliases ? 1 : params.engine.reps, large.descriptionBytes),
    );
  }
  return {
    expressionsPerSecond,
    documents,
    tables: [
      {
        title: '3a. Runtime expressions (engine alone, one core)',
        columns: ['mode', 'expressions per second'],
        rows: [
          ['parsed once, evaluated many times', fmt(expressionsPerSecond.evaluate, 0)],
          ['parsed and evaluated each time', fmt(expressionsPerSecond.parseAndEvaluate, 0)],
        ],
        notes: [`Mix: ${[...EXPRESSIONS, TEMPLATE].map((e) => `\`${e}\``).join(', ')}.`],
      },
      {
        title: '3b. Load + validate + pre-flight (engine alone; ms)',
        columns: ['document', 'load (parse, dereference)', 'validate', 'pre-flight', 'total', 'errors found'],
        rows: documents.map((d) => [
          d.document,
          fmt(d.loadMs),
          fmt(d.validateMs),
          fmt(d.preflightMs),
          fmt(d.totalMs),
          String(d.errors),
        ]),
        notes: ["Errors found are the documents' own (the seeds are the uncorrected originals)."],
      },
    ],
  };
}
