// What a worker lets runs do with secrets. These are the operator's settings (environment of the
// worker process); no run input can widen them.
//
//   ARAZZO_SECRET_ENV_ALLOW   env variables references may read: names or patterns (`PRISMA_TOKEN,DEEPGRAM_*`)
//   ARAZZO_SECRETS_DIR        the one directory `file:NAME` references read from
//   ARAZZO_SECRET_SINK_DIR    the directory the `file` sink delivers minted secrets to (mode 0600 files)
//   ARAZZO_SECRET_HOSTS       optional explicit bindings, `pattern=host|host;pattern=host`, e.g.
//                             `env:PRISMA_*=api.prisma.io;file:deepgram-*=api.deepgram.com`
//
// Host rule (who may receive a secret): a secret used in a step's request is sent only to
//   1. the hosts of an explicit binding matching its reference, when one matches; otherwise
//   2. the server of the source description the step calls, as the worker itself loaded it
//      (operations carry a seal made by the loadPlan activity; a plan given in a run's input has none), or
//   3. the run's `servers` override for that source, only when the worker allows that host
//      (ARAZZO_ALLOWED_SERVER_HOSTS, the operator's consent).
// Anything else fails before the request is sent. Hosts compare as src/arazzo/request/hosts.ts says
// (case-insensitive, IPv6 brackets ignored, no wildcards).
import { resolve } from 'node:path';
import { hostMatches, hostOf, urlHostAllowed } from '../arazzo/request/hosts.js';
import type { ParsedRef } from '../arazzo/secrets/refs.js';

export interface HostBinding {
  /** Pattern over the reference text, `*` as wildcard: `env:PRISMA_*`, `file:deepgram-*`, `delivered:file:*`. */
  pattern: string;
  hosts: string[];
}

export interface SecretPolicy {
  envAllow: string[];
  secretsDir?: string;
  sinkDir?: string;
  hostBindings: HostBinding[];
}

export const noSecretPolicy: SecretPolicy = { envAllow: [], hostBindings: [] };

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function parseHostBindings(text: string | undefined): HostBinding[] {
  return (text ?? '')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const eq = entry.indexOf('=');
      if (eq < 1) throw new Error(`ARAZZO_SECRET_HOSTS: expected pattern=host|host, got "${entry}"`);
      return {
        pattern: entry.slice(0, eq).trim(),
        hosts: entry
          .slice(eq + 1)
          .split('|')
          .map((h) => h.trim().toLowerCase())
          .filter(Boolean),
      };
    });
}

export function secretPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): SecretPolicy {
  return {
    envAllow: list(env.ARAZZO_SECRET_ENV_ALLOW),
    secretsDir: env.ARAZZO_SECRETS_DIR ? resolve(env.ARAZZO_SECRETS_DIR) : undefined,
    sinkDir: env.ARAZZO_SECRET_SINK_DIR ? resolve(env.ARAZZO_SECRET_SINK_DIR) : undefined,
    hostBindings: parseHostBindings(env.ARAZZO_SECRET_HOSTS),
  };
}

export function globMatch(pattern: string, text: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
  return re.test(text);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Why the worker would not read this reference, or undefined when it may. */
export function refProblem(
  ref: ParsedRef,
  policy: SecretPolicy,
  options: { allowInput?: boolean } = {},
): string | undefined {
  switch (ref.scheme) {
    case 'env':
      return policy.envAllow.some((p) => globMatch(p, ref.name))
        ? undefined
        : `environment variable ${ref.name} is not one this worker lets runs read (ARAZZO_SECRET_ENV_ALLOW)`;
    case 'file':
      return policy.secretsDir ? undefined : 'this worker has no secrets directory (ARAZZO_SECRETS_DIR)';
    case 'delivered':
      if (ref.sink !== 'file') return `this worker has no "${ref.sink}" secret sink`;
      return policy.sinkDir ? undefined : 'this worker has no secret sink directory (ARAZZO_SECRET_SINK_DIR)';
    case 'input':
      return options.allowInput ? undefined : '"input:" references are internal to a run';
  }
}

/** The explicit binding for a reference, if the operator configured one. */
export function bindingFor(refText: string, policy: SecretPolicy): HostBinding | undefined {
  return policy.hostBindings.find((b) => globMatch(b.pattern, refText));
}

export interface HostDecisionInput {
  refText: string;
  /** Host of the request about to be sent. */
  targetHost: string;
  /** The description's own server URL for this source, when its seal verified. */
  sealedServerUrl?: string;
  /** The run's override for this source, if any. */
  overrideUrl?: string;
  allowedServerHosts: readonly string[];
}

/** Why this secret must not go to `targetHost`, or undefined when it may (the rule above). */
export function hostProblem(input: HostDecisionInput, policy: SecretPolicy): string | undefined {
  const { refText, targetHost } = input;
  const binding = bindingFor(refText, policy);
  if (binding) {
    return binding.hosts.some((h) => hostMatches(targetHost, h))
      ? undefined
      : `secret ${refText} may be sent only to ${binding.hosts.join(', ')} (ARAZZO_SECRET_HOSTS), not to ${targetHost}`;
  }
  if (input.overrideUrl !== undefined) {
    const allowed = urlHostAllowed(input.overrideUrl, input.allowedServerHosts);
    if (allowed && hostMatches(targetHost, hostOf(input.overrideUrl)!)) return undefined;
    return `secret ${refText} may not be sent to ${targetHost}: the run's server override is not a host this worker allows`;
  }
  const own = input.sealedServerUrl !== undefined ? hostOf(input.sealedServerUrl) : undefined;
  if (own === undefined) {
    return `secret ${refText} may not be sent to ${targetHost}: the operation's server was not loaded by this worker (no valid seal)`;
  }
  return hostMatches(targetHost, own)
    ? undefined
    : `secret ${refText} may be sent only to ${own} (its source description's server), not to ${targetHost}`;
}
