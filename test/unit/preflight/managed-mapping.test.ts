// preflight-managed-mapping (rules/managed-mapping.ts) on the corrected rotations, as written and with
// their `x-managed` edited to name things that do not exist or are secret; and the mapping applied.
import { describe, expect, it } from 'vitest';
import { carryForward, readManagedSpec, rotationInputs } from '../../../src/arazzo/managed/managed-spec.js';
import { checkManagedMapping } from '../../../src/arazzo/preflight/index.js';
import { loadRepoDocument, replaceOnce, rows, runRule } from './helpers.js';

const PRISMA = 'arazzo/rotations/prisma-rotate-connection.arazzo.yaml';
const DEEPGRAM = 'arazzo/rotations/deepgram-rotate-key.arazzo.yaml';

describe('preflight-managed-mapping (managed-mapping.ts)', () => {
  it('the corrected rotations declare a mapping that refers to real inputs and outputs', async () => {
    expect(runRule(await loadRepoDocument(PRISMA), checkManagedMapping)).toEqual([]);
    expect(runRule(await loadRepoDocument(DEEPGRAM), checkManagedMapping)).toEqual([]);
  });

  it('an unknown output, an unknown input, a secret output and an unknown per-rotation input are errors, with where', async () => {
    const set = await loadRepoDocument(PRISMA, (text) =>
      replaceOnce(
        text,
        'oldConnectionId: $outputs.newConnectionId\n      perRotation: [newName]',
        'oldConnectionId: $outputs.newConnectionID\n        connectionId: $outputs.newConnectionString\n      perRotation: [newName, name]',
      ),
    );
    expect(rows(runRule(set, checkManagedMapping))).toEqual([
      [
        'error',
        'preflight-managed-mapping',
        '26:26',
        '/workflows/0/x-managed/carry/oldConnectionId',
        undefined,
        '`x-managed.carry.oldConnectionId` reads the output "newConnectionID", which the workflow does not declare',
      ],
      [
        'error',
        'preflight-managed-mapping',
        '27:23',
        '/workflows/0/x-managed/carry/connectionId',
        undefined,
        '`x-managed.carry` sets the input "connectionId", which the workflow does not declare',
      ],
      [
        'error',
        'preflight-managed-mapping',
        '27:23',
        '/workflows/0/x-managed/carry/connectionId',
        undefined,
        '`x-managed.carry.connectionId` reads the secret output "newConnectionString": a managed credential holds identifiers, never a secret value',
      ],
      [
        'error',
        'preflight-managed-mapping',
        '28:30',
        '/workflows/0/x-managed/perRotation/1',
        undefined,
        '`x-managed.perRotation` names the input "name", which the workflow does not declare',
      ],
    ]);
  });

  it('carrying into a secret input, or a value that is not `$outputs.<name>`, is an error', async () => {
    const set = await loadRepoDocument(DEEPGRAM, (text) =>
      replaceOnce(
        text,
        'oldKeyId: $outputs.newKeyId',
        'apiKey: $outputs.newKeyId\n        oldKeyId: $steps.x.outputs.y',
      ),
    );
    const messages = runRule(set, checkManagedMapping).map((f) => f.message);
    expect(messages).toEqual([
      '`x-managed.carry` sets the secret input "apiKey": a managed credential holds identifiers, never a secret value',
      '`x-managed.carry.oldKeyId` must be `$outputs.<name>` (a workflow output), not "$steps.x.outputs.y"',
    ]);
  });
});

describe('x-managed applied (managed-spec.ts)', () => {
  const { spec } = readManagedSpec({
    'x-managed': { carry: { oldConnectionId: '$outputs.newConnectionId' }, perRotation: ['newName'] },
  });

  it('gives each rotation a name of its own and carries the new id forward', () => {
    const base = { databaseId: 'db', oldConnectionId: 'con_1', newName: 'app' };
    expect(rotationInputs(base, base, spec!, 3)).toEqual({
      databaseId: 'db',
      oldConnectionId: 'con_1',
      newName: 'app-3',
    });
    expect(carryForward(base, { newConnectionId: 'con_2', revokedConnectionId: 'con_1' }, spec!)).toEqual({
      ok: true,
      inputs: { databaseId: 'db', oldConnectionId: 'con_2', newName: 'app' },
      carried: { oldConnectionId: 'con_2' },
    });
  });

  it('refuses to carry an output the rotation did not produce', () => {
    expect(carryForward({ oldConnectionId: 'con_1' }, {}, spec!)).toEqual({
      ok: false,
      message:
        'the rotation completed without the output "newConnectionId" that x-managed carries into "oldConnectionId"',
    });
  });
});
