// Arazzo 1.1 identity-based referencing: an absolute source url names an Arazzo document by its
// `$self`; a copy read for it (a source map to a local file) must be that document, and a document
// that leads back to itself by identity is a cycle even when read from another place.
import { describe, expect, it } from 'vitest';
import { isAvailable, loadDocumentSet } from '../../../src/arazzo/document/index.js';
import { FIXTURES, readerWith } from './fixture-reader.js';

const entry = `${FIXTURES}identity-entry.arazzo.yaml`;
const copy = `${FIXTURES}identity-shared-copy.arazzo.yaml`;
const SHARED = 'https://arazzo.example.test/shared.arazzo.yaml';

const doc = (self: string, sources: string) =>
  `arazzo: 1.1.0\n$self: ${self}\ninfo: { title: t, version: '1' }\nsourceDescriptions:\n${sources}workflows:\n  - workflowId: w\n    steps:\n      - { stepId: s, operationId: op }\n`;
const source = (url: string) => `  - { name: shared, url: '${url}', type: arazzo }\n`;

async function load(files: Record<string, string>) {
  return loadDocumentSet(entry, { read: readerWith(files), sourceMap: { [SHARED]: copy } });
}

describe('identity-based referencing ($self)', () => {
  it('the copy read for an absolute url is used when its $self is that url', async () => {
    const set = await load({
      [entry]: doc('https://arazzo.example.test/entry.arazzo.yaml', source(SHARED)),
      [copy]: doc(SHARED, ''),
    });
    expect(set.findings).toEqual([]);
    expect(isAvailable(set.sources.shared)).toBe(true);
  });

  it('a copy whose $self names another document is refused', async () => {
    const set = await load({
      [entry]: doc('https://arazzo.example.test/entry.arazzo.yaml', source(SHARED)),
      [copy]: doc('https://arazzo.example.test/other.arazzo.yaml', ''),
    });
    expect(set.findings.map((f) => [f.code, f.message])).toEqual([
      [
        'source-identity-mismatch',
        `source description "${SHARED}" names ${SHARED}, but the document read for it (${copy}) is https://arazzo.example.test/other.arazzo.yaml by its $self`,
      ],
    ]);
  });

  it('a document that leads back to itself by identity is a cycle', async () => {
    const set = await load({
      [entry]: doc(SHARED, source(SHARED)),
      [copy]: doc(SHARED, ''),
    });
    expect(set.findings.map((f) => f.code)).toEqual(['source-cycle']);
  });
});
