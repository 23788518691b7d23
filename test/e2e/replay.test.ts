// Every fixture set ever committed (test/replay/fixtures/<set>/*.json) replays against the current
// workflow code. A change that would not replay breaks runs that are parked (for days, awaiting
// approval) when a new worker picks them up: such a change must go through `patched()`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';

const fixturesDir = fileURLToPath(new URL('../replay/fixtures/', import.meta.url));
const sets = readdirSync(fixturesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe('replay of committed histories', () => {
  it('has at least one committed fixture set', () => {
    expect(sets.length).toBeGreaterThan(0);
  });

  for (const set of sets) {
    it(`replays fixture set ${set}`, async () => {
      // Replay runs under the original workflow id: child workflow ids are derived from it.
      const manifest = JSON.parse(readFileSync(join(fixturesDir, set, 'manifest.json'), 'utf8')) as {
        workflowIds: Record<string, string>;
      };
      const files = Object.keys(manifest.workflowIds);
      expect(files.length).toBeGreaterThan(0);
      const histories = files.map((f) => ({
        workflowId: manifest.workflowIds[f],
        history: historyFromJSON(JSON.parse(readFileSync(join(fixturesDir, set, f), 'utf8'))),
      }));
      const failures: string[] = [];
      for await (const result of Worker.runReplayHistories(
        { workflowBundle: { codePath: inject('workflowBundlePath') } },
        histories,
      )) {
        if (result.error) failures.push(`${set}: ${result.workflowId}: ${result.error.message}`);
      }
      expect(failures).toEqual([]);
    });
  }
});
