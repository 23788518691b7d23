// What a worker allows. A run's input is written by whoever may start workflows; these settings are
// the worker operator's, and no input can widen them.
import { readFileSync } from 'node:fs';
import { type ApprovalPolicy, parseApprovalPolicy } from '../arazzo/approvals/policy.js';
import { defaultDocumentRoot } from '../project-files.js';
import { type SecretPolicy, secretPolicyFromEnv } from '../secrets/policy.js';
import { DEFAULT_DOCUMENT_CACHE_BYTES } from './document-cache.js';
import { bytesFromEnv, maxDocumentBytesFromEnv } from './document-read.js';
import { type ApprovalWebhook, webhooksFromEnv } from './notify-approval.js';

export interface WorkerPolicy {
  /** Documents given as paths are read only below this folder. */
  documentRoot: string;
  /** Hosts documents (and their source descriptions) may be fetched from when given as URLs. */
  allowedDocumentHosts: string[];
  /** Hosts a run's `servers` override may point at. Loopback is allowed by default (development). */
  allowedServerHosts: string[];
  /**
   * The largest document or source description (bytes) the worker reads; larger ones are refused
   * (InvalidDocument). Default 5 MiB (document-read.ts).
   */
  maxDocumentBytes?: number;
  /** Bound of the document cache: bytes of the texts behind the analyses it keeps. Default 16 MiB. */
  documentCacheBytes?: number;
  /**
   * Which secret references runs may use, where minted secrets may be delivered, and explicit
   * secret-to-host bindings (src/secrets/policy.ts). None when absent.
   */
  secrets?: SecretPolicy;
  /**
   * Whether a run's `lock.key` may replace its document's `x-lock-key` (ARAZZO_ALLOW_LOCK_KEY_OVERRIDE).
   * Off by default: another key is another lock, so two runs on one credential could run at once. A
   * document without `x-lock-key` may always be given one (that only adds exclusion).
   */
  allowLockKeyOverride?: boolean;
  /**
   * Who may approve what (ARAZZO_APPROVAL_POLICY, a JSON file the operator owns). Absent: decisions
   * are unsigned and not authenticated (development).
   */
  approvals?: ApprovalPolicy;
  /** Where approval notices are posted (ARAZZO_APPROVAL_WEBHOOKS). */
  approvalWebhooks?: ApprovalWebhook[];
  /** The Web UI base for run links in notices (ARAZZO_TEMPORAL_UI_URL). */
  uiBase?: string;
  /** Test-only: pause a step's activity after its response arrived (see ARAZZO_TEST_PAUSE_AFTER_RESPONSE). */
  pauseAfterResponse?: { stepId: string; markerDir: string };
}

export { defaultDocumentRoot };

const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]', '::1'];

function list(value: string | undefined, fallback: string[]): string[] {
  if (value === undefined) return fallback;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A yes/no setting: unset, empty, `0`, `false`, `no` are no; `1`, `true`, `yes` are yes; anything else is a mistake. */
function flag(name: string, value: string | undefined): boolean {
  const text = (value ?? '').trim().toLowerCase();
  if (['', '0', 'false', 'no'].includes(text)) return false;
  if (['1', 'true', 'yes'].includes(text)) return true;
  throw new Error(`${name}: expected 1 (allow) or 0 (refuse), got "${value}"`);
}

/**
 * ARAZZO_DOCUMENT_ROOT, ARAZZO_ALLOWED_DOCUMENT_HOSTS, ARAZZO_ALLOWED_SERVER_HOSTS (comma lists),
 * ARAZZO_ALLOW_LOCK_KEY_OVERRIDE (1: a run's lock.key may replace the document's x-lock-key),
 * ARAZZO_MAX_DOCUMENT_BYTES and ARAZZO_DOCUMENT_CACHE_BYTES (whole numbers of bytes), and the secret
 * settings ARAZZO_SECRET_ENV_ALLOW, ARAZZO_SECRETS_DIR, ARAZZO_SECRET_SINK_DIR, ARAZZO_SECRET_HOSTS.
 * ARAZZO_APPROVAL_POLICY (the approval policy file), ARAZZO_APPROVAL_WEBHOOKS, ARAZZO_TEMPORAL_UI_URL.
 * The test hook is read only when both of its variables are set.
 */
export function policyFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerPolicy {
  const pauseStep = env.ARAZZO_TEST_PAUSE_AFTER_RESPONSE;
  const markerDir = env.ARAZZO_TEST_MARKER_DIR;
  return {
    documentRoot: env.ARAZZO_DOCUMENT_ROOT ?? defaultDocumentRoot,
    allowedDocumentHosts: list(env.ARAZZO_ALLOWED_DOCUMENT_HOSTS, []),
    allowedServerHosts: list(env.ARAZZO_ALLOWED_SERVER_HOSTS, LOOPBACK),
    maxDocumentBytes: maxDocumentBytesFromEnv(env),
    documentCacheBytes: bytesFromEnv(env, 'ARAZZO_DOCUMENT_CACHE_BYTES', DEFAULT_DOCUMENT_CACHE_BYTES),
    secrets: secretPolicyFromEnv(env),
    allowLockKeyOverride: flag('ARAZZO_ALLOW_LOCK_KEY_OVERRIDE', env.ARAZZO_ALLOW_LOCK_KEY_OVERRIDE),
    approvals: approvalPolicyFromEnv(env),
    approvalWebhooks: webhooksFromEnv(env.ARAZZO_APPROVAL_WEBHOOKS),
    uiBase: env.ARAZZO_TEMPORAL_UI_URL,
    pauseAfterResponse: pauseStep && markerDir ? { stepId: pauseStep, markerDir } : undefined,
  };
}

/** The approval policy file named by ARAZZO_APPROVAL_POLICY, read once at start; a bad one stops the worker. */
export function approvalPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): ApprovalPolicy | undefined {
  const file = env.ARAZZO_APPROVAL_POLICY;
  if (!file) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`ARAZZO_APPROVAL_POLICY: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  return parseApprovalPolicy(text, file);
}
