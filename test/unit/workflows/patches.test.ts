// The patch table (src/workflows/patches.ts) must tell the truth about the committed histories: a set
// recorded before a patch has no marker for it, every later set has it (its own marker, or the
// marker of a baseline that covers it), and no history carries a marker the table does not name
// (a marker nobody can retire).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PATCH_BASELINES, PATCHES } from '../../../src/workflows/patches.js';

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

  /** The sets recorded while `index` was the newest baseline: after it, before the one that followed it. */
  const recordedUnder = (index: number) =>
    sets.filter(
      (set) =>
        !PATCH_BASELINES[index].recordedBefore.includes(set) &&
        (index === 0 || PATCH_BASELINES[index - 1].recordedBefore.includes(set)),
    );

  PATCH_BASELINES.forEach((baseline, index) => {
    it(`baseline "${baseline.id}": exactly the sets recorded while it was the newest have it`, () => {
      for (const set of baseline.recordedBefore) expect(sets).toContain(set);
      const under = recordedUnder(index);
      expect(under.length).toBeGreaterThan(0);
      for (const set of sets) {
        expect({ set, has: markersIn(set).has(baseline.id) }).toEqual({ set, has: under.includes(set) });
      }
    });

    it(`baseline "${baseline.id}" covers every patch of the baseline before it (a history never loses a path)`, () => {
      const older = PATCH_BASELINES[index + 1];
      if (older) for (const name of older.covers) expect(baseline.covers).toContain(name);
      // The baselines are newest first: each was recorded after the one below it.
      if (older) expect(baseline.recordedBefore.length).toBeGreaterThan(older.recordedBefore.length);
    });
  });

  it('the newest baseline covers every patch (new runs record one marker only)', () => {
    expect([...PATCH_BASELINES[0].covers].sort()).toEqual(Object.keys(PATCHES).sort());
  });

  it('a set with a baseline has no marker of a patch that baseline covers (one marker stands for them all)', () => {
    const doubled = sets.flatMap((set) => {
      const markers = markersIn(set);
      return PATCH_BASELINES.filter((b) => markers.has(b.id)).flatMap((baseline) =>
        Object.entries(PATCHES)
          .filter(([name, patch]) => (baseline.covers as readonly string[]).includes(name) && markers.has(patch.id))
          .map(([name]) => `${set}: ${name}`),
      );
    });
    expect(doubled).toEqual([]);
  });

  for (const [name, patch] of Object.entries(PATCHES)) {
    it(`${name}: sets recorded before it lack "${patch.id}", later sets have it`, () => {
      for (const set of patch.recordedBefore) expect(sets).toContain(set);
      for (const set of sets) {
        const markers = markersIn(set);
        const has =
          markers.has(patch.id) ||
          PATCH_BASELINES.some((b) => (b.covers as readonly string[]).includes(name) && markers.has(b.id));
        expect({ set, has }).toEqual({
          set,
          has: !(patch.recordedBefore as readonly string[]).includes(set),
        });
      }
    });
  }

  it('no history carries a marker the table does not name', () => {
    const known = new Set<string>([...Object.values(PATCHES).map((p) => p.id), ...PATCH_BASELINES.map((b) => b.id)]);
    const unknown = sets.flatMap((set) =>
      [...markersIn(set)].filter((id) => !known.has(id)).map((id) => `${set}: ${id}`),
    );
    expect(unknown).toEqual([]);
  });
});
