// The Arazzo 1.1.0 text's own examples, committed as fixtures (test/fixtures/arazzo-spec/1.1/text-examples),
// each with its committed expected result:
//  - whole documents and step examples: the findings of check (validation and pre-flight), in
//    `<name>.expected.json` beside each (the examples have real mistakes: a misspelt source name,
//    operationPath where an AsyncAPI operationId is meant, an operation the AsyncAPI file does not
//    define, `$message.payload.orderId` for `$message.payload#/orderId`, a header the message does not declare);
//  - Selector Object, Payload Replacement and `$self` (Appendix B) examples: what they evaluate to, in
//    `selector-examples.yaml`, `replacement-examples.yaml` and `self-examples.yaml`.
// Set ARAZZO_WRITE_EXPECTED=1 once to write missing `.expected.json` files; never to overwrite one.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { baseUriOf, loadDocumentSet, resolveUrl } from '../../../src/arazzo/document/index.js';
import { parseAsyncApi } from '../../../src/asyncapi/parse-asyncapi.js';
import { evaluateTemplate, parseValueTemplate } from '../../../src/arazzo/expressions/index.js';
import { preflight } from '../../../src/arazzo/preflight/index.js';
import { buildBody } from '../../../src/arazzo/request/body.js';
import { markSelector } from '../../../src/arazzo/selectors/plan-selectors.js';
import { validateDocumentSet } from '../../../src/arazzo/validate/index.js';
import { FIXTURES, readLocal } from '../document/fixture-reader.js';

const DIR = `${FIXTURES}arazzo-spec/1.1/text-examples/`;
const documents = readdirSync(DIR).filter((name) => name.endsWith('.arazzo.yaml'));

describe('the 1.1 text examples: documents and steps, with their committed findings', () => {
  it('are all here', () => {
    expect(documents).toEqual([
      'arazzo-object-example.arazzo.yaml',
      'step-example-async.arazzo.yaml',
      'step-example-multiple.arazzo.yaml',
      'step-example-single.arazzo.yaml',
    ]);
  });
  for (const name of documents) {
    it(name, async () => {
      const set = await loadDocumentSet(`${DIR}${name}`, { read: readLocal, parseAsyncApi });
      const findings = [...validateDocumentSet(set), ...preflight(set)].map((f) => ({
        severity: f.severity,
        code: f.code,
        pointer: f.pointer,
        line: f.line,
        message: f.message,
      }));
      const expectedFile = `${DIR}${name.replace('.arazzo.yaml', '.expected.json')}`;
      if (!existsSync(expectedFile) && process.env.ARAZZO_WRITE_EXPECTED === '1') {
        writeFileSync(expectedFile, `${JSON.stringify(findings, null, 2)}\n`);
      }
      expect(findings).toEqual(JSON.parse(readFileSync(expectedFile, 'utf8')));
    });
  }
});

interface SelectorExample {
  name: string;
  value: unknown;
  context: Record<string, unknown>;
  expected: unknown;
}

describe('the 1.1 text examples: Selector Objects evaluate as committed', () => {
  const examples = YAML.parse(readFileSync(`${DIR}selector-examples.yaml`, 'utf8')) as SelectorExample[];
  for (const example of examples) {
    it(example.name, () => {
      const parsed = parseValueTemplate(markSelector(example.value));
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      expect(evaluateTemplate(parsed.value, { inputs: {}, steps: {}, ...example.context })).toEqual(example.expected);
    });
  }
});

interface ReplacementExample {
  name: string;
  contentType: string;
  payload: unknown;
  replacement: Record<string, unknown>;
  context: Record<string, unknown>;
  expected: string;
}

describe('the 1.1 text examples: Payload Replacement Objects apply as committed', () => {
  const examples = YAML.parse(readFileSync(`${DIR}replacement-examples.yaml`, 'utf8')) as ReplacementExample[];
  for (const example of examples) {
    it(example.name, () => {
      const replacement = { ...example.replacement, value: markSelector(example.replacement.value) };
      const body = buildBody(
        { contentType: example.contentType, payload: example.payload, replacements: [replacement as never] },
        { inputs: {}, steps: {}, ...example.context },
      );
      expect(body?.body).toBe(example.expected);
    });
  }
});

interface SelfExample {
  name: string;
  retrievedFrom: string;
  document: Record<string, unknown>;
  sourceUrl: string;
  baseUri: string;
  resolvesTo: string;
}

describe('the 1.1 text examples: Appendix B, base URIs and $self', () => {
  const examples = YAML.parse(readFileSync(`${DIR}self-examples.yaml`, 'utf8')) as SelfExample[];
  for (const example of examples) {
    it(example.name, () => {
      const base = baseUriOf(example.document, example.retrievedFrom);
      expect(base).toBe(example.baseUri);
      expect(resolveUrl(example.sourceUrl, base)).toBe(example.resolvesTo);
    });
  }
});
