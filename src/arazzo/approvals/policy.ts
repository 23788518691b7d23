// The worker operator's approval policy: who may approve (names, ed25519 public keys, groups), which
// steps need which group and how many distinct approvals, and what a requester may change. Parsed
// here (pure: the worker reads the file, src/activities/approval-policy.ts), with every mistake named
// by file and JSON pointer, so a worker never starts on a policy it misread.
import { keyFingerprint } from './signature.js';

export interface Approver {
  name: string;
  /** ed25519 public key, 64 hex digits (what `arazzo-temporal approver keygen` prints). */
  publicKey: string;
  groups: string[];
}

/** Which group must approve, and how many distinct people of it. */
export interface GateRequirement {
  /** Absent: any approver of the policy. */
  group?: string;
  quorum: number;
}

export interface ApprovalRule extends GateRequirement {
  /** Document path as runs give it (relative to the document root), or `*` for every document. */
  document: string;
  /** Step ids the rule applies to (they are gated even if the document does not gate them); absent: every gated step. */
  steps?: string[];
}

export interface ApprovalPolicy {
  approvers: Approver[];
  rules: ApprovalRule[];
  /** For a gated step no rule names. Default: any approver, quorum 1. */
  default: GateRequirement;
  /**
   * Whether a run may switch gates off (`approval: {"mode": "none"}`). Adding gates (`approval.steps`,
   * `--approve-steps`) is always allowed: it only adds a safeguard. Default false.
   */
  requesterMayChangeGates: boolean;
  /** `refuse`: a run whose requester is unknown (no signed start) is refused when it has a gate. Default `refuse`. */
  unknownRequester: 'refuse' | 'allow';
}

export class ApprovalPolicyError extends Error {
  constructor(
    readonly file: string,
    readonly pointer: string,
    message: string,
    readonly hint?: string,
  ) {
    super(`${file}${pointer ? ` at ${pointer}` : ''}: ${message}${hint ? `\nhint: ${hint}` : ''}`);
    this.name = 'ApprovalPolicyError';
  }
}

const PUBLIC_KEY = /^[0-9a-f]{64}$/i;

/** Parses and checks a policy file's text (JSON). Throws ApprovalPolicyError naming the place. */
export function parseApprovalPolicy(text: string, file: string): ApprovalPolicy {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ApprovalPolicyError(file, '', `not valid JSON (${(err as Error).message})`);
  }
  const fail = (pointer: string, message: string, hint?: string): never => {
    throw new ApprovalPolicyError(file, pointer, message, hint);
  };
  if (!isObject(raw)) fail('', 'expected a JSON object with "approvers" and "rules"');
  const doc = raw as Record<string, unknown>;
  const known = ['approvers', 'rules', 'default', 'requesterMayChangeGates', 'unknownRequester'];
  for (const key of Object.keys(doc)) {
    if (!known.includes(key)) fail(`/${key}`, `unknown setting "${key}"`, `the settings are ${known.join(', ')}`);
  }
  if (!Array.isArray(doc.approvers) || doc.approvers.length === 0) {
    fail(
      '/approvers',
      'expected a non-empty list of approvers',
      'arazzo-temporal approver keygen --name NAME prints one',
    );
  }
  const approvers: Approver[] = [];
  const names = new Set<string>();
  const keys = new Set<string>();
  (doc.approvers as unknown[]).forEach((entry, i) => {
    const at = `/approvers/${i}`;
    if (!isObject(entry)) fail(at, 'expected {"name", "publicKey", "groups"}');
    const a = entry as Record<string, unknown>;
    if (typeof a.name !== 'string' || !a.name.trim()) fail(`${at}/name`, 'expected a non-empty name');
    if (typeof a.publicKey !== 'string' || !PUBLIC_KEY.test(a.publicKey)) {
      fail(`${at}/publicKey`, 'expected an ed25519 public key of 64 hex digits', 'paste the line keygen printed');
    }
    if (!Array.isArray(a.groups) || a.groups.some((g) => typeof g !== 'string' || !g)) {
      fail(`${at}/groups`, 'expected a list of group names');
    }
    const name = (a.name as string).trim();
    const key = (a.publicKey as string).toLowerCase();
    if (names.has(name)) fail(`${at}/name`, `approver "${name}" is listed twice`);
    if (keys.has(key)) fail(`${at}/publicKey`, `this key (${keyFingerprint(key)}) is listed twice`);
    names.add(name);
    keys.add(key);
    approvers.push({ name, publicKey: key, groups: [...(a.groups as string[])] });
  });
  const groups = new Set(approvers.flatMap((a) => a.groups));
  const requirement = (value: unknown, at: string): GateRequirement => {
    if (!isObject(value)) fail(at, 'expected {"group"?, "quorum"}');
    const r = value as Record<string, unknown>;
    const quorum = r.quorum ?? 1;
    if (typeof quorum !== 'number' || !Number.isInteger(quorum) || quorum < 1) {
      fail(`${at}/quorum`, 'expected a whole number of approvals, at least 1');
    }
    if (r.group !== undefined && (typeof r.group !== 'string' || !groups.has(r.group))) {
      fail(`${at}/group`, `no approver is in group "${String(r.group)}"`, `groups: ${[...groups].join(', ')}`);
    }
    const members = approvers.filter((a) => r.group === undefined || a.groups.includes(r.group as string)).length;
    if ((quorum as number) > members) {
      fail(`${at}/quorum`, `quorum ${quorum} but only ${members} approver(s) can give it: the step could never run`);
    }
    return { ...(r.group === undefined ? {} : { group: r.group as string }), quorum: quorum as number };
  };
  const rules: ApprovalRule[] = [];
  if (doc.rules !== undefined && !Array.isArray(doc.rules)) fail('/rules', 'expected a list of rules');
  ((doc.rules as unknown[] | undefined) ?? []).forEach((entry, i) => {
    const at = `/rules/${i}`;
    const base = requirement(entry, at);
    const r = entry as Record<string, unknown>;
    if (typeof r.document !== 'string' || !r.document) fail(`${at}/document`, 'expected a document path or "*"');
    if (r.steps !== undefined && (!Array.isArray(r.steps) || r.steps.some((s) => typeof s !== 'string'))) {
      fail(`${at}/steps`, 'expected a list of step ids');
    }
    rules.push({ ...base, document: r.document as string, ...(r.steps ? { steps: [...(r.steps as string[])] } : {}) });
  });
  const mayChange = doc.requesterMayChangeGates ?? false;
  if (typeof mayChange !== 'boolean') fail('/requesterMayChangeGates', 'expected true or false');
  const unknownRequester = doc.unknownRequester ?? 'refuse';
  if (unknownRequester !== 'refuse' && unknownRequester !== 'allow') {
    fail('/unknownRequester', 'expected "refuse" or "allow"');
  }
  return {
    approvers,
    rules,
    default: doc.default === undefined ? { quorum: 1 } : requirement(doc.default, '/default'),
    requesterMayChangeGates: mayChange as boolean,
    unknownRequester: unknownRequester as 'refuse' | 'allow',
  };
}

/** Document paths compare as given, without a leading `./` or the `arazzo/` folder the CLI accepts too. */
export function sameDocument(ruleDocument: string, runDocument: string): boolean {
  if (ruleDocument === '*') return true;
  const norm = (p: string) => p.replace(/^\.\//, '').replace(/^arazzo\//, '');
  return norm(ruleDocument) === norm(runDocument);
}

/**
 * The gates of one Arazzo workflow under the policy: each step the document or the run gates, plus
 * the steps a rule names, with the requirement of the first rule that applies (else the default).
 */
export function gatesFor(
  policy: ApprovalPolicy,
  document: string,
  steps: ReadonlyArray<{ stepId: string; gated: boolean }>,
): Record<string, GateRequirement> {
  const gates: Record<string, GateRequirement> = {};
  const rules = policy.rules.filter((r) => sameDocument(r.document, document));
  for (const step of steps) {
    const named = rules.find((r) => r.steps?.includes(step.stepId));
    const general = rules.find((r) => r.steps === undefined);
    if (!named && !step.gated) continue;
    const rule = named ?? general;
    gates[step.stepId] = rule
      ? { ...(rule.group === undefined ? {} : { group: rule.group }), quorum: rule.quorum }
      : policy.default;
  }
  return gates;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
