// Seals on plan operations: the loadPlan activity (which read the description itself) signs each
// operation's source name and server URL; the step activity trusts an operation's own server for a
// secret only when the seal verifies. A plan given in a run's input (nested runs, continue-as-new
// carry loadPlan's plan, seals included) cannot name a new server for a secret without the key.
// The key is derived from the codec keys (all of them verify, the encrypting one signs, and a key
// file's rotation reaches seals like payloads, without a restart); without codec keys, from
// ARAZZO_PLAN_SEAL_KEY or a local key file, so seals still verify after a worker restart.
// The step activity refuses every request (not only secret ones) whose operation has no valid seal
// and no allowed server override (src/activities/run-step.ts).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Plan, PlanOperation } from '../arazzo/plan/types.js';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type KeyRing, sharedKeySource } from '../codec/keys.js';
import { planSealKeyFile } from '../project-files.js';

/**
 * Without codec keys, seals must still verify after a worker restart (runs outlive worker processes):
 * ARAZZO_PLAN_SEAL_KEY (base64, shared by all workers), else a key file created once (mode 0600).
 */
function localSealKey(): Buffer {
  const fromEnv = process.env.ARAZZO_PLAN_SEAL_KEY;
  if (fromEnv) return Buffer.from(fromEnv, 'base64');
  const sealKeyFile = planSealKeyFile();
  if (!existsSync(sealKeyFile)) {
    mkdirSync(dirname(sealKeyFile), { recursive: true, mode: 0o700 });
    try {
      writeFileSync(sealKeyFile, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // another worker made it first
    }
  }
  return Buffer.from(readFileSync(sealKeyFile, 'utf8').trim(), 'base64');
}

type SealedOperation = PlanOperation & { seal?: string };

type SealKeys = Array<{ id: string; key: Buffer }>;

let fixed: SealKeys | undefined;
let derived: { from: KeyRing; keys: SealKeys } | undefined;

/** Seal keys for a codec ring (derived again only when the ring changed). */
function forRing(ring: KeyRing | undefined): SealKeys {
  if (!ring) {
    fixed ??= deriveSealKeys(undefined);
    return fixed;
  }
  if (derived?.from !== ring) derived = { from: ring, keys: deriveSealKeys(ring) };
  return derived.keys;
}

function keys(): SealKeys {
  if (fixed) return fixed;
  return forRing(sharedKeySource()?.ring());
}

/** A seal under a key id this process lacks: look at the key source again (a key added decrypt-only). */
function keysWith(id: string): SealKeys {
  const now = keys();
  if (fixed || now.some((k) => k.id === id)) return now;
  return forRing(sharedKeySource()?.refresh());
}

export function deriveSealKeys(codecKeys: KeyRing | undefined): Array<{ id: string; key: Buffer }> {
  if (!codecKeys?.length) return [{ id: 'local', key: localSealKey() }];
  return codecKeys.map((k) => ({ id: k.id, key: createHmac('sha256', k.key).update('arazzo-plan-seal-v1').digest() }));
}

function mac(key: Buffer, op: PlanOperation): string {
  return createHmac('sha256', key)
    .update(JSON.stringify([op.sourceName, op.serverUrl]))
    .digest('base64url');
}

export function sealOf(op: PlanOperation): string {
  const all = keys();
  const newest = all[all.length - 1];
  return `${newest.id}.${mac(newest.key, op)}`;
}

/** The operation's own server URL when its seal verifies, else undefined. */
export function verifiedServerUrl(op: PlanOperation): string | undefined {
  const seal = (op as SealedOperation).seal;
  if (typeof seal !== 'string') return undefined;
  const dot = seal.lastIndexOf('.');
  const id = seal.slice(0, dot);
  const key = keysWith(id).find((k) => k.id === id);
  if (!key) return undefined;
  const given = Buffer.from(seal.slice(dot + 1));
  const expected = Buffer.from(mac(key.key, op));
  return given.length === expected.length && timingSafeEqual(given, expected) ? op.serverUrl : undefined;
}

/** Adds a seal to every operation (and compensation operation) of the plan, in place. */
export function sealPlan(plan: Plan): Plan {
  for (const workflow of Object.values(plan.workflows)) {
    for (const step of workflow.steps) {
      if (step.operation) (step.operation as SealedOperation).seal = sealOf(step.operation);
      if (step.compensation)
        (step.compensation.operation as SealedOperation).seal = sealOf(step.compensation.operation);
    }
  }
  return plan;
}

/** Tests only. */
export function setSealKeysForTests(codecKeys: KeyRing | undefined): void {
  fixed = deriveSealKeys(codecKeys);
}
