// The run's first activity: read the document and its sources (the only file/URL I/O of a run),
// validate everything, check the inputs, and return the compact plan the workflow executes.
// Every refusal here is non-retryable and happens before a single API request. It heartbeats between
// its phases and every second while it waits, so a worker that dies during a load is noticed within
// the activity's heartbeat timeout rather than its start-to-close timeout.
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { activityInfo, ApplicationFailure, getClient, heartbeat } from '@temporalio/activity';
import type { ApprovalSettings } from '../arazzo/approvals/settings.js';
import { loadDocumentSet } from '../arazzo/document/index.js';
import { parseAsyncApi } from '../asyncapi/parse-asyncapi.js';
import { evaluateTemplate, parseValueTemplate, stringifyEmbedded } from '../arazzo/expressions/index.js';
import { formatFindings } from '../arazzo/format-finding.js';
import { buildPlan, PlanError } from '../arazzo/plan/build-plan.js';
import type { Plan } from '../arazzo/plan/types.js';
import { validateDocumentSet } from '../arazzo/validate/index.js';
import { validateInputs } from '../arazzo/validate/validate-inputs.js';
import { checkDeliveries, checkSecretHosts, inputSchemas, prepareInputs } from '../secrets/plan-checks.js';
import { noSecretPolicy } from '../secrets/policy.js';
import { SecretRefError } from '../secrets/resolver.js';
import { isSecretSchema } from '../arazzo/secrets/mask.js';
import { collectRefs, isSecretRef, SECRET_KEY } from '../arazzo/secrets/refs.js';
import { secretInputReads } from '../arazzo/secrets/secret-reads.js';
import { readRunInputs } from '../secrets/run-input.js';
import { recordedRun } from './run-history.js';
import { Scrubber } from '../secrets/scrub.js';
import { sealPlan } from '../secrets/seal.js';
import { approvalSettingsFor } from './approval-policy.js';
import type { WorkerPolicy } from './config.js';
import { urlHostAllowed } from '../arazzo/request/hosts.js';
import { DocumentCache, type StampFile } from './document-cache.js';
import {
  DEFAULT_MAX_DOCUMENT_BYTES,
  DocumentTooLargeError,
  fetchLimited,
  readFileLimited,
  stampFile,
} from './document-read.js';
import { PlanStore } from './plan-store.js';
import { runPreflight } from './preflight-hook.js';
import { SearchAttributeList } from './search-attribute-list.js';

export interface LoadPlanInput {
  document: string;
  workflowId?: string;
  /** The run's inputs; when absent and `inputsFromRun` is set, read from the run's start event (so they are not copied into this activity's input). */
  inputs?: Record<string, unknown>;
  inputsFromRun?: boolean;
  /** The run's `deliver` map (output → secret sink), checked here before any request. */
  deliver?: Record<string, string>;
  servers?: Record<string, string>;
  strict?: boolean;
  preflight?: 'enforce' | 'run-anyway';
  /** `<stepId>:<code>` entries silencing one pre-flight finding for one step; one naming nothing is an error. */
  preflightIgnore?: string[];
  /**
   * The run's `lock.key`. For a workflow without `x-lock-key` it is the lock key; one that differs from
   * the workflow's `x-lock-key` is refused unless the worker allows overrides (see lockKeyFor).
   */
  lockKey?: string;
}

export interface LoadPlanResult {
  plan: Plan;
  /** Content digest of `plan`, by which steps are scheduled (see plan-store.ts). */
  planDigest: string;
  /** The inputs with schema defaults applied; secret inputs as `{"$secret": ...}` references (never values). */
  inputs: Record<string, unknown>;
  lockKey?: string;
  /** Warnings to show with the run (validation and pre-flight). */
  warnings: string[];
  /** Which of our search attributes this namespace has (upserting an unknown one fails the task). */
  searchAttributes: string[];
  /** The worker's approval policy as it applies to this run, and how many webhooks it notifies. */
  approvalSettings?: ApprovalSettings;
}

/** Non-retryable: the same input would fail the same way. */
function refuse(type: string, message: string, details?: unknown): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true, details: details ? [details] : undefined });
}

/** How often loadPlan heartbeats while it waits (it also heartbeats between phases). */
export const LOAD_HEARTBEAT_INTERVAL_MS = 1000;

/**
 * A heartbeat when running as an activity task (tests also call loadPlan directly, outside any). A local
 * activity (new runs) has no heartbeat: its workflow task's timeout notices a dead worker.
 */
function beat(phase: string) {
  try {
    if (activityInfo().isLocal) return;
    heartbeat(phase);
  } catch {
    // not in an activity context
  }
}

const isUrl = (s: string) => /^https?:\/\//i.test(s);

/** `path` is `root` or below it. */
function below(root: string, path: string): boolean {
  const rel = relative(root, path);
  return !rel.startsWith('..') && !isAbsolute(rel);
}

export function makeLoadPlan(policy: WorkerPolicy, plans = new PlanStore()) {
  const root = resolve(policy.documentRoot);
  const maxBytes = policy.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;

  /**
   * Where `path` really is when it exists: undefined when it, or a symbolic link on the way, leads
   * outside the root (compared with the root's own real path). A missing file passes (reading it fails).
   */
  async function realInsideRoot(path: string): Promise<{ real: string } | undefined> {
    if (!below(root, path)) return undefined;
    const realRoot = await realpath(root).catch(() => root);
    let real: string;
    try {
      real = await realpath(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { real: path };
      throw err;
    }
    return below(realRoot, real) ? { real } : undefined;
  }

  /** Document paths found inside the root, with the stamp of the file they led to then (see locate). */
  const foundInside = new Map<string, string>();

  /** The document's path, and its stamp (taken before anything is read) when it is a file that has one. */
  async function locate(document: string): Promise<{ location: string; stamp?: string }> {
    if (isUrl(document)) {
      if (!urlHostAllowed(document, policy.allowedDocumentHosts)) {
        refuse('DocumentNotAllowed', `document URL ${document} is not on a host this worker allows`);
      }
      return { location: document };
    }
    const path = resolve(root, document);
    if (!below(root, path)) refuse('DocumentNotAllowed', `document ${document} is outside the worker's document root`);
    // The file this path led to when it was last found inside the root: the same file (by its stamp:
    // device and inode among the rest) is still that file, so the two real paths need not be resolved
    // again. A path pointed elsewhere leads to another stamp and is checked again.
    const before = await stampFile(path).catch(() => undefined);
    if (before !== undefined && foundInside.get(path) === before) return { location: path, stamp: before };
    if (!(await realInsideRoot(path))) {
      refuse(
        'DocumentNotAllowed',
        `document ${document} leads outside the worker's document root (a symbolic link points out of it)`,
      );
    }
    // Kept only when the path led to the same file before and after the check.
    const after = await stampFile(path).catch(() => undefined);
    if (before !== undefined && after === before) {
      if (foundInside.size >= 1024) foundInside.clear();
      foundInside.set(path, before);
    }
    return { location: path, stamp: before };
  }

  /**
   * Files only below the root (symbolic links followed, and only while they stay inside); URLs only
   * from allowed hosts; nothing over the size limit. Everything else fails like a missing file.
   */
  async function read(url: string): Promise<string> {
    beat('reading');
    if (isUrl(url)) {
      if (!urlHostAllowed(url, policy.allowedDocumentHosts)) throw new Error(`host not allowed by this worker: ${url}`);
      return fetchLimited(url, maxBytes);
    }
    const path = url.startsWith('file:') ? new URL(url).pathname : url;
    const inside = await realInsideRoot(resolve(path));
    if (!inside) throw new Error(`outside the worker's document root: ${path}`);
    return readFileLimited(inside.real, maxBytes, shown(path));
  }

  /** A file as the run named it: relative to the root. */
  const shown = (path: string) => (below(root, resolve(path)) ? relative(root, resolve(path)) : path);

  /**
   * A file's stamp (document-read.ts), so an unchanged one is not read again; a URL has none. The stamp
   * is of the file the path leads to now: pointed elsewhere, the path has another stamp and is read (and
   * checked against the root) again. `located` is the document's own, taken by `locate` in this load.
   */
  function stamper(located: { location: string; stamp?: string }): StampFile {
    return async (url) => {
      if (isUrl(url)) return undefined;
      if (url === located.location && located.stamp !== undefined) return located.stamp;
      return stampFile(resolve(url.startsWith('file:') ? new URL(url).pathname : url));
    };
  }

  const documents = new DocumentCache({ maxBytes: policy.documentCacheBytes });
  const searchAttributes = new SearchAttributeList(listSearchAttributes);

  return async function loadPlan(input: LoadPlanInput): Promise<LoadPlanResult> {
    beat('starting');
    const ticker = setInterval(() => beat('working'), LOAD_HEARTBEAT_INTERVAL_MS);
    try {
      return await load(input);
    } finally {
      clearInterval(ticker);
    }
  };

  async function load(input: LoadPlanInput): Promise<LoadPlanResult> {
    const located = await locate(input.document);
    const { location } = located;
    const strict = input.strict ?? false;
    // A text over the limit is refused as such (not reported as one unreadable file among findings).
    let tooLarge: DocumentTooLargeError | undefined;
    const limitedRead = async (url: string) => {
      try {
        return await read(url);
      } catch (err) {
        if (err instanceof DocumentTooLargeError) tooLarge ??= err;
        throw err;
      }
    };
    let analysis: Awaited<ReturnType<DocumentCache['get']>>;
    try {
      analysis = await documents.get(
        location,
        strict,
        limitedRead,
        async (recordingRead) => {
          const loaded = await loadDocumentSet(location, { read: recordingRead, parseAsyncApi });
          if (tooLarge) throw tooLarge;
          beat('validating');
          return { set: loaded, findings: validateDocumentSet(loaded, { strict }) };
        },
        stamper(located),
      );
    } catch (err) {
      // Reading problems are findings; what is thrown comes from analysing the texts read, and would
      // be thrown again on a retry.
      if (err instanceof DocumentTooLargeError) refuse('InvalidDocument', err.message);
      refuse('InvalidDocument', `${input.document} could not be analysed: ${errorText(err)}`);
    }
    beat('validated');
    const { set, findings } = analysis;
    const errors = findings.filter((f) => f.severity === 'error');
    if (errors.length) {
      refuse(
        'InvalidDocument',
        `${input.document} is not a valid Arazzo document (${errors.length} error${errors.length > 1 ? 's' : ''}):\n${formatFindings(errors)}`,
      );
    }

    const ignore = Array.isArray(input.preflightIgnore) ? input.preflightIgnore.map(String) : [];
    const planKey = `${input.workflowId ?? ''}\0${ignore.join('\0')}`;
    let planned = analysis.plans.get(planKey);
    if (!planned) {
      try {
        const built = buildPlan(set, { workflowId: input.workflowId, strict });
        beat('planned');
        planned = { plan: built, preflight: runPreflight(set, built.workflowId, ignore) };
      } catch (err) {
        if (err instanceof PlanError) refuse('InvalidDocument', `${err.message} (at ${err.pointer})`);
        // Planning is a function of the document: retrying would fail the same way.
        refuse('InvalidDocument', `${input.document} could not be planned: ${errorText(err)}`);
      }
      analysis.plans.set(planKey, planned);
    }
    // Each run gets its own copy: it is sealed (in place) and becomes this run's history.
    const plan: Plan = structuredClone(planned.plan);
    const preflight = planned.preflight;
    const preflightErrors = preflight.filter((f) => f.severity === 'error');
    if (preflightErrors.length && input.preflight !== 'run-anyway') {
      refuse(
        'PreflightFailed',
        `pre-flight found ${preflightErrors.length} error${preflightErrors.length > 1 ? 's' : ''} in ${input.document}; no request was sent:\n${formatFindings(preflightErrors)}\n(start with preflight: "run-anyway" to run regardless)`,
      );
    }

    beat('checking inputs');
    const workflow = set.entry.document!.workflows.find((w) => w.workflowId === plan.workflowId)!;
    const components = set.entry.document!.components;
    const secretPolicy = policy.secrets ?? noSecretPolicy;
    const given = input.inputs ?? (input.inputsFromRun ? ((await readRunInputs()) ?? {}) : {});
    const properties = inputSchemas(workflow.inputs, components as never);
    let prepared: Awaited<ReturnType<typeof prepareInputs>>;
    try {
      prepared = await prepareInputs(given, properties, secretPolicy);
    } catch (err) {
      if (err instanceof SecretRefError) refuse(err.type, `${err.message}; no request was sent`);
      throw err;
    }
    const scrub = new Scrubber().addAll(prepared.secretValues);
    const checked = validateInputs(workflow, prepared.resolved, components);
    if (!checked.ok) {
      refuse(
        'InvalidInputs',
        scrub.text(
          `inputs for workflow "${plan.workflowId}" are not valid:\n${checked.errors.map((e) => `  - ${e.message}`).join('\n')}`,
        ),
      );
    }

    for (const [name, url] of Object.entries(input.servers ?? {})) {
      const steps = Object.values(plan.workflows).flatMap((w) => w.steps);
      const channel = steps.find((s) => s.message?.channel.sourceName === name)?.message?.channel;
      const known = channel || steps.some((s) => s.operation?.sourceName === name);
      if (!known) refuse('InvalidServerOverride', `servers.${name}: no step of this run calls source "${name}"`);
      // A broker is `host:port` (or `<protocol>://host:port`); compared like any server host.
      const comparable = channel && !url.includes('://') ? `${channel.server.protocol}://${url}` : url;
      if (!urlHostAllowed(comparable, policy.allowedServerHosts)) {
        refuse('InvalidServerOverride', `servers.${name}: ${url} is not on a host this worker allows`);
      }
    }

    try {
      checkSecretHosts(plan, prepared.kept, input.servers, secretPolicy, policy.allowedServerHosts);
    } catch (err) {
      if (err instanceof SecretRefError) refuse(err.type, `${err.message}; no request was sent`);
      throw err;
    }
    const deliveryProblems = checkDeliveries(plan, input.deliver, secretPolicy);
    if (deliveryProblems.length) {
      refuse('InvalidDelivery', `${deliveryProblems.join('\n')}\nno request was sent`);
    }

    const secretInputs = new Map(prepared.secretNames.map((name) => [name, prepared.resolved[name]]));
    const isSecretInput = (name: string) => secretInputs.has(name) || isSecretSchema(name, properties[name]);
    const lockKey = lockKeyFor(plan, input.lockKey, checked.value, { isSecretInput, secretInputs }, policy);
    const approvalSettings = await runApprovalSettings(input, plan);
    beat('sealing');
    const sealed = sealPlan(plan);
    return {
      plan: sealed,
      planDigest: plans.remember(sealed),
      // Defaults as applied, but every given secret as a reference.
      inputs: {
        ...checked.value,
        ...Object.fromEntries(Object.entries(prepared.kept).filter(([, v]) => isSecretRef(v))),
      },
      lockKey,
      warnings: [...findings, ...preflight].filter((f) => f.severity === 'warning').map((f) => formatFindings([f])),
      searchAttributes: await searchAttributes.get(),
      approvalSettings,
    };
  }

  /** The run's gates and requester under the worker's approval policy (from the run's start event). */
  async function runApprovalSettings(input: LoadPlanInput, plan: Plan): Promise<ApprovalSettings> {
    const webhooks = policy.approvalWebhooks?.length ?? 0;
    if (!policy.approvals) return { webhooks };
    const info = activityInfo();
    const started = input.inputsFromRun ? (await recordedRun()).input : undefined;
    return approvalSettingsFor(policy.approvals, {
      document: input.document,
      plan,
      approval: started?.approval,
      requester: started?.requester,
      namespace: info.workflowNamespace ?? '',
      workflowId: info.workflowExecution?.workflowId ?? '',
      webhooks,
    });
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** What the refusals of a lock key made of a secret say: the key's text is never in them. */
const SECRET_KEY_WHY =
  'a lock key becomes a workflow id (arazzo-lock:<key>), stored and shown in clear; no request was sent';
const SECRET_KEY_HINT =
  'hint: build the key from what identifies the credential (ids), never from the credential itself';

interface LockKeySecrets {
  /** Which inputs are secret (the schema says so, or the name is a credential's). */
  isSecretInput: (name: string) => boolean;
  /** The values of the secret inputs as given or read from their references (never returned or shown). */
  secretInputs: ReadonlyMap<string, unknown>;
}

/**
 * The run's lock key. A lock key is the id of the lock workflow, which Temporal stores and shows in clear
 * (database, `workflow list`, Web UI), and it is what keeps two runs off one resource. So:
 * - `x-lock-key` may not read a secret input (pre-flight says so too, but a run may skip pre-flight), and
 *   no key, from the document or the run, may contain a secret input's value or a secret reference;
 * - a run's `lock.key` may not replace the workflow's `x-lock-key` (another key is another lock, and the
 *   two runs would no longer exclude each other) unless the worker allows it; the same key is no change;
 * - a workflow without `x-lock-key` takes the run's `lock.key` as it is: that only adds exclusion.
 * `lock.onBusy` and `lock.pollInterval` need no check: they change how a run waits, never who excludes whom.
 */
function lockKeyFor(
  plan: Plan,
  given: unknown,
  inputs: Record<string, unknown>,
  secrets: LockKeySecrets,
  policy: WorkerPolicy,
): string | undefined {
  const documentKey = evaluateLockKey(plan, inputs, secrets);
  if (given === undefined) return documentKey;
  if (typeof given !== 'string' || given === '') {
    refuse(
      'InvalidLockKey',
      `lock.key must be a non-empty string, not ${given === '' ? 'an empty one' : typeof given}; no request was sent\nhint: leave lock.key out to use the document's x-lock-key`,
    );
  }
  refuseSecretIn('lock.key', given, secrets);
  if (documentKey === undefined || given === documentKey || policy.allowLockKeyOverride) return given;
  refuse(
    'LockKeyOverride',
    `lock.key "${given}" would replace the document's x-lock-key ("${documentKey}"), so two runs on one resource could run at once; no request was sent\n` +
      'hint: start the run without lock.key, or have the worker allow overrides (ARAZZO_ALLOW_LOCK_KEY_OVERRIDE=1)',
  );
}

function evaluateLockKey(plan: Plan, inputs: Record<string, unknown>, secrets: LockKeySecrets): string | undefined {
  const template = plan.workflows[plan.workflowId].lockKey;
  if (!template) return undefined;
  const reads = secretInputReads(template, secrets.isSecretInput);
  if (reads.length) {
    const which = reads.map((read) => `\`${read}\``).join(' and ');
    refuse(
      'SecretLockKey',
      `x-lock-key of workflow "${plan.workflowId}" reads the secret ${which}: ${SECRET_KEY_WHY}\n${SECRET_KEY_HINT}`,
    );
  }
  const parsed = parseValueTemplate(template, { strict: plan.strict });
  if (!parsed.ok) refuse('InvalidDocument', `x-lock-key: ${parsed.error.message}`);
  const value = evaluateTemplate(parsed.value, { inputs, steps: {} });
  if (value === undefined || value === null || value === '') {
    refuse('InvalidInputs', `x-lock-key "${template}" resolved to nothing for these inputs`);
  }
  if (collectRefs(value).length)
    refuse('SecretLockKey', `x-lock-key resolved to a secret reference: ${SECRET_KEY_WHY}\n${SECRET_KEY_HINT}`);
  const key = String(value);
  refuseSecretIn('x-lock-key', key, secrets);
  return key;
}

/** Refuses a key holding a secret input's value (as sent: strings as they are, other values as JSON) or a reference. */
function refuseSecretIn(what: string, key: string, secrets: LockKeySecrets): void {
  for (const [name, value] of secrets.secretInputs) {
    if (value === undefined || value === null) continue;
    const text = stringifyEmbedded(value);
    if (text !== '' && key.includes(text)) {
      refuse(
        'SecretLockKey',
        `${what} contains the value of the secret input "${name}": ${SECRET_KEY_WHY}\n${SECRET_KEY_HINT}`,
      );
    }
  }
  if (key.includes(SECRET_KEY)) {
    refuse('SecretLockKey', `${what} contains a secret reference: ${SECRET_KEY_WHY}\n${SECRET_KEY_HINT}`);
  }
}

/** Our search attributes registered in the worker's namespace, from the server (a failure throws). */
async function listSearchAttributes(): Promise<string[]> {
  const client = getClient();
  const res = await client.connection.operatorService.listSearchAttributes({ namespace: client.options.namespace });
  return Object.keys(res.customAttributes ?? {}).filter((k) => k.startsWith('Arazzo'));
}
