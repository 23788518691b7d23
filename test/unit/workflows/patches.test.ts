// The patch table (src/workflows/patches.ts) must tell the truth about the committed histories: a set
// recorded before a patch has no marker for it, every later set has it (its own marker, or the
// baseline marker when the baseline covers it), and no history carries a marker the table does not name
// (a marker nobody can retire).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PATCH_BASELINE, PATCHES } from '../../../src/workflows/patches.js';

const fixturesDir = fileURLToPath(new URL('../../replay/fixtures/', import.meta.url));
const sets = readdirSync(fixturesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

/** The patch ids recorded anywhere in one fixture set. */
function markersIn(set: string): Set<string> {
  const ids = new Set<string>();
  for (const file of readdirSync(join(fixturesDir, set)).filter((f) => f.endsWith('.json') && f !== 'manifest.json')) {
    const history = JSON.parse(readFileSync(join(fixturesDir, set, file), 'utf8')) as {
      events: Array<{ markerRecordedEventAttributes?: { markerName: string; details?: Record<string, any> } }>;
    };
    for (const event of history.events) {
      const marker = event.markerRecordedEventAttributes;
      if (marker?.markerName !== 'core_patch') continue;
      for (const detail of Object.values(marker.details ?? {})) {
        for (const payload of detail.payloads ?? []) {
          ids.add(JSON.parse(Buffer.from(payload.data, 'base64').toString('utf8')).id);
        }
      }
    }
  }
  return ids;
}

describe('patch lifecycle table', () => {
  it('has fixture sets to check against', () => {
    expect(sets.length).toBeGreaterThan(0);
  });

  const covered = new Set<string>(PATCH_BASELINE.covers);

  it(`the baseline: sets recorded before it lack "${PATCH_BASELINE.id}", later sets have it`, () => {
    for (const set of PATCH_BASELINE.recordedBefore) expect(sets).toContain(set);
    for (const set of sets) {
      expect({ set, has: markersIn(set).has(PATCH_BASELINE.id) }).toEqual({
        set,
        has: !(PATCH_BASELINE.recordedBefore as readonly string[]).includes(set),
      });
    }
  });

  it('a set with the baseline has no marker of a patch the baseline covers (one marker stands for them all)', () => {
    const doubled = sets.flatMap((set) => {
      const markers = markersIn(set);
      if (!markers.has(PATCH_BASELINE.id)) return [];
      return Object.entries(PATCHES)
        .filter(([name, patch]) => covered.has(name) && markers.has(patch.id))
        .map(([name]) => `${set}: ${name}`);
    });
    expect(doubled).toEqual([]);
  });

  for (const [name, patch] of Object.entries(PATCHES)) {
    it(`${name}: sets recorded before it lack "${patch.id}", later sets have it`, () => {
      for (const set of patch.recordedBefore) expect(sets).toContain(set);
      for (const set of sets) {
        const markers = markersIn(set);
        const has = markers.has(patch.id) || (covered.has(name) && markers.has(PATCH_BASELINE.id));
        expect({ set, has }).toEqual({
          set,
          has: !(patch.recordedBefore as readonly string[]).includes(set),
        });
      }
    });
  }

  it('no history carries a marker the table does not name', () => {
    const known = new Set<string>([...Object.values(PATCHES).map((p) => p.id), PATCH_BASELINE.id]);
    const unknown = sets.flatMap((set) =>
      [...markersIn(set)].filter((id) => !known.has(id)).map((id) => `${set}: ${id}`),
    );
    expect(unknown).toEqual([]);
  });
});
