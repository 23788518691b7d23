// The patch table (src/workflows/patches.ts) must tell the truth about the committed histories: a set
// recorded before a patch has no marker for it, every later set has it, and no history carries a
// marker the table does not name (a marker nobody can retire).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PATCHES } from '../../../src/workflows/patches.js';

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

  for (const [name, patch] of Object.entries(PATCHES)) {
    it(`${name}: sets recorded before it lack "${patch.id}", later sets have it`, () => {
      for (const set of patch.recordedBefore) expect(sets).toContain(set);
      for (const set of sets) {
        expect({ set, has: markersIn(set).has(patch.id) }).toEqual({
          set,
          has: !(patch.recordedBefore as readonly string[]).includes(set),
        });
      }
    });
  }

  it('no history carries a marker the table does not name', () => {
    const known = new Set<string>(Object.values(PATCHES).map((p) => p.id));
    const unknown = sets.flatMap((set) =>
      [...markersIn(set)].filter((id) => !known.has(id)).map((id) => `${set}: ${id}`),
    );
    expect(unknown).toEqual([]);
  });
});
