// Deepgram Management API (v1) simulator: projects, members and project API keys. Follows the official
// document (official/deepgram-official-openapi.yml, summarized in FACTS.md): `Authorization: Token <key>`
// only (Bearer is refused), create answers 200 with the key shown once, list/get never show it, DELETE
// answers 200 `{"message"}`, errors use Deepgram's `{err_code, err_msg, request_id}` format.
import { AuditLog, type CredentialRef } from './audit-log.js';
import type { HandlerResult, RouteHandler, SimRequest } from './http-server.js';
import { SecretRedactor } from './masking.js';
import { OFFICIAL_DEEPGRAM } from './official-documents.js';
import { createRandomSource } from './random.js';
import { compileRoute } from './router.js';
import { launchSimulator, parseAuthorization, type Simulator, type SimulatorOptions } from './simulator-base.js';

export interface DeepgramSimulatorOptions extends SimulatorOptions {
  /**
   * Scopes a key needs (any one of the list) for reads and for writes. The official document says nothing
   * about which scope management needs, so nothing is enforced unless a test asks for it.
   */
  requiredScopes?: { read?: string[]; write?: string[] };
  /** Clock for key expiry (ms since epoch); `Date.now` by default. */
  now?: () => number;
}

export interface DeepgramSeedOptions {
  projectName?: string;
  comment?: string;
  scopes?: string[];
  memberEmail?: string;
}

export interface DeepgramSeed {
  projectId: string;
  memberId: string;
  keyId: string;
  key: string;
}

export interface DeepgramKeyView {
  id: string;
  projectId: string;
  memberId: string;
  comment: string;
  scopes: string[];
  tags: string[];
  created: string;
  expirationDate?: string;
  deleted: boolean;
  expired: boolean;
}

export interface DeepgramSimulator extends Simulator {
  /** A project with one member and one key (default scopes `['admin']`). */
  seed(options?: DeepgramSeedOptions): DeepgramSeed;
  /** Out-of-band key (as if made in the console) for a project's first member. */
  addKey(
    projectId: string,
    options?: { comment?: string; scopes?: string[]; expirationDate?: string },
  ): { keyId: string; key: string };
  /** The applications' view: does this key authenticate right now? */
  credentialWorks(key: string): boolean;
  readonly state: {
    projects(): Array<{ id: string; name: string }>;
    key(id: string): DeepgramKeyView | undefined;
    /** Keys of a project (all projects when omitted); deleted ones only with `includeDeleted`. */
    keys(projectId?: string, options?: { includeDeleted?: boolean }): DeepgramKeyView[];
  };
}

interface Member {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
}

interface Project {
  id: string;
  name: string;
  members: Member[];
}

interface ApiKey {
  id: string;
  secret: string;
  projectId: string;
  member: Member;
  comment: string;
  scopes: string[];
  tags: string[];
  created: string;
  expirationMs?: number;
  deletedAt?: string;
}

export async function startDeepgramSimulator(options: DeepgramSimulatorOptions = {}): Promise<DeepgramSimulator> {
  const random = createRandomSource(options.randomSeed);
  const clock = options.now ?? Date.now;
  const redactor = new SecretRedactor();
  const audit = new AuditLog();
  const projects = new Map<string, Project>();
  const keys = new Map<string, ApiKey>();
  const bySecret = new Map<string, ApiKey>();

  const expired = (k: ApiKey) => k.expirationMs !== undefined && k.expirationMs <= clock();
  const usable = (k: ApiKey | undefined): k is ApiKey => k !== undefined && k.deletedAt === undefined && !expired(k);
  const validCredentials = (): CredentialRef[] =>
    [...keys.values()].filter(usable).map((k) => ({ kind: 'api-key', id: k.id, scope: k.projectId }));

  const mintKey = (project: Project, member: Member, fields: Partial<ApiKey>): ApiKey => {
    const k: ApiKey = {
      id: random.uuid(),
      secret: random.hex(40),
      projectId: project.id,
      member,
      comment: fields.comment ?? '',
      scopes: fields.scopes ?? ['admin'],
      tags: fields.tags ?? [],
      created: new Date(clock()).toISOString(),
      expirationMs: fields.expirationMs,
    };
    redactor.add(k.secret);
    keys.set(k.id, k);
    bySecret.set(k.secret, k);
    return k;
  };

  // ---- errors: Deepgram's legacy error object, one of the official ErrorResponse forms ----
  const error = (status: number, errCode: string, errMsg: string): HandlerResult => ({
    response: { status, body: { err_code: errCode, err_msg: errMsg, request_id: random.uuid() } },
  });
  const faultBody = (status: number) => ({
    err_code: status === 429 ? 'TOO_MANY_REQUESTS' : status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'ERROR',
    err_msg: `Simulated ${status}.`,
    request_id: random.uuid(),
  });
  const badRequest = (msg: string) => error(400, 'BAD_REQUEST', msg);
  const projectNotFound = () => error(404, 'PROJECT_NOT_FOUND', 'Project not found.');
  const keyNotFound = () => error(404, 'API_KEY_NOT_FOUND', 'API key not found.');

  /**
   * `Token <key>` with a usable key, a project the key belongs to, and (if configured) the scope. A key is
   * project-scoped: another project's id is answered 404 (no hint that it exists).
   */
  const authed =
    (
      access: 'read' | 'write',
      handler: (req: SimRequest, key: ApiKey, project?: Project) => HandlerResult,
    ): RouteHandler =>
    (req) => {
      const { scheme, credential } = parseAuthorization(req.headers.authorization);
      const key = scheme === 'token' ? bySecret.get(credential) : undefined;
      if (!usable(key)) return error(401, 'INVALID_AUTH', 'Invalid credentials.');
      const required = options.requiredScopes?.[access];
      if (required && !key.scopes.some((s) => required.includes(s)))
        return { ...error(403, 'FORBIDDEN', 'Insufficient permissions.'), authenticatedAs: key.id };
      let project: Project | undefined;
      if (req.params.project_id !== undefined) {
        project = projects.get(req.params.project_id);
        if (!project || project.id !== key.projectId) return { ...projectNotFound(), authenticatedAs: key.id };
      }
      return { ...handler(req, key, project), authenticatedAs: key.id };
    };

  const listItem = (k: ApiKey) => ({
    member: { member_id: k.member.id, email: k.member.email },
    api_key: { api_key_id: k.id, comment: k.comment, scopes: k.scopes, created: k.created },
  });
  const isoOrUndefined = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

  const routes = [
    compileRoute(
      'GET',
      '/v1/projects',
      authed('read', (_req, key) => {
        const p = projects.get(key.projectId)!;
        return { response: { status: 200, body: { projects: [{ project_id: p.id, name: p.name }] } } };
      }),
    ),
    compileRoute(
      'GET',
      '/v1/projects/:project_id',
      authed('read', (_req, _key, p) => ({
        response: { status: 200, body: { project_id: p!.id, mip_opt_out: false, name: p!.name } },
      })),
    ),
    compileRoute(
      'GET',
      '/v1/projects/:project_id/keys',
      authed('read', (req, _key, p) => {
        const status = req.query.status;
        if (status !== undefined && status !== 'active' && status !== 'expired')
          return badRequest('status must be one of: active, expired.');
        const items = [...keys.values()]
          .filter((k) => k.projectId === p!.id && k.deletedAt === undefined)
          .filter((k) => status === undefined || (status === 'expired') === expired(k))
          .map(listItem);
        return { response: { status: 200, body: { api_keys: items } } };
      }),
    ),
    compileRoute(
      'POST',
      '/v1/projects/:project_id/keys',
      authed('write', (req, key, p) => {
        if (req.jsonError) return badRequest('Request body is not valid JSON.');
        const b = req.body as Record<string, unknown> | undefined;
        if (b === null || typeof b !== 'object' || Array.isArray(b))
          return badRequest('Request body must be a JSON object.');
        if (typeof b.comment !== 'string' || b.comment.length === 0) return badRequest('comment is required.');
        if (!Array.isArray(b.scopes) || b.scopes.length === 0 || !b.scopes.every((s) => typeof s === 'string'))
          return badRequest('scopes is required: a non-empty array of strings.');
        if (b.tags !== undefined && (!Array.isArray(b.tags) || !b.tags.every((s) => typeof s === 'string')))
          return badRequest('tags must be an array of strings.');
        if (b.expiration_date !== undefined && b.time_to_live_in_seconds !== undefined)
          return badRequest('expiration_date and time_to_live_in_seconds are mutually exclusive.');
        let expirationMs: number | undefined;
        if (b.expiration_date !== undefined) {
          expirationMs = typeof b.expiration_date === 'string' ? Date.parse(b.expiration_date) : Number.NaN;
          if (Number.isNaN(expirationMs)) return badRequest('expiration_date must be a date-time.');
        }
        if (b.time_to_live_in_seconds !== undefined) {
          const ttl = b.time_to_live_in_seconds;
          if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 1)
            return badRequest('time_to_live_in_seconds must be a positive integer.');
          expirationMs = clock() + ttl * 1000;
        }
        // The new key belongs to the member whose key made the call, and works immediately.
        const k = mintKey(p!, key.member, {
          comment: b.comment,
          scopes: b.scopes as string[],
          tags: (b.tags as string[] | undefined) ?? [],
          expirationMs,
        });
        const body: Record<string, unknown> = {
          api_key_id: k.id,
          key: k.secret,
          comment: k.comment,
          scopes: k.scopes,
          tags: k.tags,
        };
        if (k.expirationMs !== undefined) body.expiration_date = isoOrUndefined(k.expirationMs);
        return {
          response: { status: 200, body },
          events: [{ type: 'created', kind: 'api-key', id: k.id, scope: p!.id }],
        };
      }),
    ),
    compileRoute(
      'GET',
      '/v1/projects/:project_id/keys/:key_id',
      authed('read', (req, _key, p) => {
        const k = keys.get(req.params.key_id);
        if (!k || k.projectId !== p!.id || k.deletedAt !== undefined) return keyNotFound();
        const apiKey: Record<string, unknown> = {
          api_key_id: k.id,
          comment: k.comment,
          scopes: k.scopes,
          tags: k.tags,
          created: k.created,
        };
        if (k.expirationMs !== undefined) apiKey.expiration_date = isoOrUndefined(k.expirationMs);
        const member = {
          member_id: k.member.id,
          email: k.member.email,
          first_name: k.member.firstName,
          last_name: k.member.lastName,
          api_key: apiKey,
        };
        return { response: { status: 200, body: { item: { member } } } };
      }),
    ),
    compileRoute(
      'DELETE',
      '/v1/projects/:project_id/keys/:key_id',
      authed('write', (req, _key, p) => {
        const k = keys.get(req.params.key_id);
        if (!k || k.projectId !== p!.id || k.deletedAt !== undefined) return keyNotFound();
        // Deleting the very key that authenticates this request is allowed: the official document does not
        // forbid it. The request completes; the key fails from the next request on.
        k.deletedAt = new Date(clock()).toISOString();
        bySecret.delete(k.secret);
        return {
          response: { status: 200, body: { message: 'Successfully deleted the API key!' } },
          events: [{ type: 'revoked', kind: 'api-key', id: k.id, scope: k.projectId }],
        };
      }),
    ),
  ];

  const sim = await launchSimulator({
    options,
    contractConfig: OFFICIAL_DEEPGRAM,
    routes,
    unmatched: () => error(404, 'NOT_FOUND', 'Route not found.').response,
    faultBody,
    audit,
    redactor,
    validCredentials,
  });

  const view = (k: ApiKey): DeepgramKeyView => ({
    id: k.id,
    projectId: k.projectId,
    memberId: k.member.id,
    comment: k.comment,
    scopes: [...k.scopes],
    tags: [...k.tags],
    created: k.created,
    ...(k.expirationMs !== undefined ? { expirationDate: isoOrUndefined(k.expirationMs) } : {}),
    deleted: k.deletedAt !== undefined,
    expired: expired(k),
  });
  const seeded = (k: ApiKey) => {
    audit.recordState(validCredentials());
    audit.append({
      source: 'seed',
      outcome: 'seeded',
      faults: [],
      events: [{ type: 'created', kind: 'api-key', id: k.id, scope: k.projectId }],
      validCredentials: validCredentials(),
    });
  };

  return {
    ...sim,
    seed(seedOptions = {}) {
      const member: Member = {
        id: random.uuid(),
        email: seedOptions.memberEmail ?? 'owner@example.com',
        firstName: 'Ada',
        lastName: 'Owner',
      };
      const project: Project = { id: random.uuid(), name: seedOptions.projectName ?? 'production', members: [member] };
      projects.set(project.id, project);
      const k = mintKey(project, member, { comment: seedOptions.comment ?? 'initial', scopes: seedOptions.scopes });
      seeded(k);
      return { projectId: project.id, memberId: member.id, keyId: k.id, key: k.secret };
    },
    addKey(projectId, keyOptions = {}) {
      const project = projects.get(projectId);
      if (!project) throw new Error(`addKey: unknown project ${projectId}`);
      const k = mintKey(project, project.members[0], {
        comment: keyOptions.comment ?? 'out-of-band',
        scopes: keyOptions.scopes,
        expirationMs: keyOptions.expirationDate === undefined ? undefined : Date.parse(keyOptions.expirationDate),
      });
      seeded(k);
      return { keyId: k.id, key: k.secret };
    },
    credentialWorks: (key) => usable(bySecret.get(key)),
    state: {
      projects: () => [...projects.values()].map((p) => ({ id: p.id, name: p.name })),
      key: (id) => {
        const k = keys.get(id);
        return k ? view(k) : undefined;
      },
      keys: (projectId, opts = {}) =>
        [...keys.values()]
          .filter(
            (k) => (projectId === undefined || k.projectId === projectId) && (opts.includeDeleted || !k.deletedAt),
          )
          .map(view),
    },
  };
}
