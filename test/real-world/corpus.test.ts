// The real-world corpus (test/fixtures/real-world/README.md): 30+ public Arazzo documents from 15+
// providers, checked as `check` checks them. Every finding is listed in expected-findings.yaml; every
// error there carries a one-line justification. A finding added, lost or changed fails here.
// The corpus files are not in git: `npx tsx scripts/gather-real-world-corpus.ts --mirrors <dir>`
// writes them, and this test refuses (fails) a corpus that is missing or differs from the manifest.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { changedFiles, checkEntry, REAL_WORLD, readManifest } from './corpus.js';

const manifest = await readManifest();
const expectedText = readFileSync(join(REAL_WORLD, 'expected-findings.yaml'), 'utf8');
const expected = parse(expectedText) as Record<string, string[]>;

describe('the real-world corpus', () => {
  it('has at least 30 documents from at least 15 providers, each with its expected findings', () => {
    expect(manifest.entries.length).toBeGreaterThanOrEqual(30);
    expect(new Set(manifest.entries.map((entry) => entry.provider)).size).toBeGreaterThanOrEqual(15);
    expect(Object.keys(expected).sort()).toEqual(manifest.entries.map((e) => `${e.provider}/${e.document}`).sort());
  });

  it('justifies every expected error in a one-line comment just above it', () => {
    const lines = expectedText.split('\n');
    const unjustified = lines.filter((line, index) => /^\s*- error /.test(line) && !/^\s*# \S/.test(lines[index - 1]));
    expect(unjustified).toEqual([]);
  });

  it.each(manifest.entries.map((entry) => [`${entry.provider}/${entry.document}`, entry] as const))(
    '%s: exactly the expected findings, nothing read outside the corpus',
    async (key, entry) => {
      expect(await changedFiles(entry), 'run scripts/gather-real-world-corpus.ts (see its header)').toEqual([]);
      const checked = await checkEntry(entry);
      expect(checked.outside).toEqual([]);
      expect(checked.lines).toEqual(expected[key] ?? []);
    },
  );
});
