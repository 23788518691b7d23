// Pet store simulator: the two operations of the Swagger pet store that the Arazzo 1.1 pet-purchase example
// calls before it sends its order message (arazzo/examples/pet-asyncapi/petstore-openapi.yaml, server
// `/api/v3`). GET /user/login answers a session token (a JSON string) with X-Rate-Limit and X-Expires-After;
// GET /pet/findByStatus requires that token, as is, in `Authorization` and answers the pets with a status.
// Tokens and passwords are secrets: redacted in the audit log like the other simulators' credentials.
import { AuditLog, type CredentialRef } from './audit-log.js';
import type { HandlerResult, RouteHandler, SimRequest } from './http-server.js';
import { join } from 'node:path';
import { defaultDocumentRoot } from '../project-files.js';
import { SecretRedactor } from './masking.js';
import type { ContractConfig } from './official-contract.js';
import { createRandomSource } from './random.js';
import { compileRoute } from './router.js';
import { launchSimulator, type Simulator, type SimulatorOptions } from './simulator-base.js';

/** The pet store's base path (the description's server is `http://localhost:8080/api/v3`). */
export const PETSTORE_BASE_PATH = '/api/v3';
export const PET_STATUSES = ['available', 'pending', 'sold'] as const;
export type PetStatus = (typeof PET_STATUSES)[number];

/**
 * The pet-purchase example's own description of the pet store, as a contract for `contract:`: responses are
 * checked against the document the workflow is planned from. It declares no security, so the 401 answered
 * to a missing or expired token is tolerated, not a violation.
 */
export const PETSTORE_EXAMPLE_CONTRACT: ContractConfig = {
  name: 'pet-purchase example pet store (arazzo/examples/pet-asyncapi/petstore-openapi.yaml)',
  file: join(defaultDocumentRoot, 'examples', 'pet-asyncapi', 'petstore-openapi.yaml'),
  undeclaredErrors: {
    statuses: [401],
    reason: 'the description declares no security scheme; GET /pet/findByStatus needs the login token',
  },
};

export interface Pet {
  id: number;
  name: string;
  status: PetStatus;
}

export interface PetstoreSimulatorOptions extends Omit<SimulatorOptions, 'contractCheck'> {
  /**
   * Check every response against this OpenAPI document (the pet store has no vendor document here; the
   * example's own, arazzo/examples/pet-asyncapi/petstore-openapi.yaml, is the one to use). Findings collect
   * in `sim.contract`.
   */
  contract?: ContractConfig;
  /** Lifetime of a session token (X-Expires-After). Default one hour. */
  sessionTtlMs?: number;
  /** X-Rate-Limit announced on login. Default 5000. */
  rateLimit?: number;
  /** Clock (ms since epoch); `Date.now` by default. */
  now?: () => number;
}

export interface PetstoreSeed {
  username: string;
  password: string;
  /** The pets added, in id order (two available, one sold unless given). */
  pets: Pet[];
}

export interface PetstoreSimulator extends Simulator {
  /** `url` + `/api/v3`: what replaces the description's server URL. */
  readonly baseUrl: string;
  /** A user and some pets (default: two available, one sold). */
  seed(options?: { username?: string; pets?: Array<{ name: string; status: PetStatus }> }): PetstoreSeed;
  addPet(pet: { name: string; status: PetStatus }): Pet;
  /** The applications' view: is this session token accepted right now? */
  credentialWorks(token: string): boolean;
  readonly state: {
    pets(status?: PetStatus): Pet[];
    /** Successful logins so far. */
    logins(): number;
  };
}

interface User {
  username: string;
  password: string;
}

interface Session {
  id: string;
  token: string;
  username: string;
  expiresMs: number;
}

export async function startPetstoreSimulator(options: PetstoreSimulatorOptions = {}): Promise<PetstoreSimulator> {
  const random = createRandomSource(options.randomSeed);
  const clock = options.now ?? Date.now;
  const ttl = options.sessionTtlMs ?? 3_600_000;
  const redactor = new SecretRedactor();
  const audit = new AuditLog();
  const users = new Map<string, User>();
  const sessions = new Map<string, Session>();
  const pets: Pet[] = [];
  let logins = 0;

  const live = (s: Session | undefined): s is Session => s !== undefined && s.expiresMs > clock();
  const validCredentials = (): CredentialRef[] =>
    [...sessions.values()].filter(live).map((s) => ({ kind: 'session', id: s.id, scope: s.username }));

  // The pet store's description declares its errors without content: the status (and its reason) is the answer.
  const error = (status: number, reason: string): HandlerResult => ({
    response: { status, headers: { 'X-Error': reason } },
  });
  const header = (req: SimRequest, name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };

  const routes = [
    compileRoute<RouteHandler>('GET', `${PETSTORE_BASE_PATH}/user/login`, (req): HandlerResult => {
      const { username, password } = req.query;
      const user = username === undefined ? undefined : users.get(username);
      if (!user || password === undefined || user.password !== password)
        return error(400, 'Invalid username/password supplied');
      const session: Session = {
        id: random.uuid(),
        token: random.base64url(24),
        username: user.username,
        expiresMs: clock() + ttl,
      };
      redactor.add(session.token);
      sessions.set(session.token, session);
      logins++;
      return {
        response: {
          status: 200,
          headers: {
            'X-Rate-Limit': String(options.rateLimit ?? 5000),
            'X-Expires-After': new Date(session.expiresMs).toISOString(),
          },
          body: session.token,
        },
        events: [{ type: 'created', kind: 'session', id: session.id, scope: user.username }],
        authenticatedAs: session.id,
      };
    }),
    compileRoute<RouteHandler>('GET', `${PETSTORE_BASE_PATH}/pet/findByStatus`, (req): HandlerResult => {
      const session = sessions.get(header(req, 'authorization')?.trim() ?? '');
      if (!live(session)) return error(401, 'A session token from GET /user/login is required in Authorization');
      const status = req.query.status ?? 'available';
      if (!(PET_STATUSES as readonly string[]).includes(status))
        return { ...error(400, 'Invalid status value'), authenticatedAs: session.id };
      return {
        response: { status: 200, body: pets.filter((p) => p.status === status) },
        authenticatedAs: session.id,
      };
    }),
  ];

  const sim = await launchSimulator({
    options: { ...options, contractCheck: options.contract !== undefined },
    contractConfig: options.contract ?? { name: 'pet store (unchecked)', file: '' },
    routes,
    unmatched: () => error(404, 'Not found').response,
    faultBody: () => undefined,
    audit,
    redactor,
    validCredentials,
  });

  const addPet = (pet: { name: string; status: PetStatus }): Pet => {
    const added = { id: pets.length + 1, name: pet.name, status: pet.status };
    pets.push(added);
    return { ...added };
  };

  return {
    ...sim,
    baseUrl: `${sim.url}${PETSTORE_BASE_PATH}`,
    seed(seedOptions = {}) {
      const user: User = {
        username: seedOptions.username ?? `user-${random.base36(6)}`,
        password: random.base64url(12),
      };
      redactor.add(user.password);
      users.set(user.username, user);
      const added = (
        seedOptions.pets ?? [
          { name: 'doggie', status: 'available' },
          { name: 'kitty', status: 'available' },
          { name: 'goldie', status: 'sold' },
        ]
      ).map(addPet);
      audit.append({ source: 'seed', outcome: 'seeded', faults: [], events: [], validCredentials: validCredentials() });
      return { username: user.username, password: user.password, pets: added };
    },
    addPet,
    credentialWorks: (token) => live(sessions.get(token)),
    state: {
      pets: (status) => pets.filter((p) => status === undefined || p.status === status).map((p) => ({ ...p })),
      logins: () => logins,
    },
  };
}
