// Prisma Postgres Management API (v1) simulator: databases and their connections, where each connection's
// connection string is itself a credential (it embeds a password). Follows the official document
// (official/prisma-management-api-excerpt.yml, summarized in FACTS.md): bodies wrapped in `data`, create
// answers 200, the secret is returned once (create/rotate) and never listed, DELETE /v1/connections/{id}
// answers 204, errors are `{"error":{"code","message","hint"?}}`.
import { AuditLog, type CredentialRef, type StateEvent } from './audit-log.js';
import type { HandlerResult, RouteHandler, SimRequest } from './http-server.js';
import { SecretRedactor } from './masking.js';
import { OFFICIAL_PRISMA } from './official-documents.js';
import { createRandomSource } from './random.js';
import { compileRoute } from './router.js';
import { launchSimulator, parseAuthorization, type Simulator, type SimulatorOptions } from './simulator-base.js';

export type DatabaseStatus = 'failure' | 'provisioning' | 'ready' | 'recovering';

/**
 * Status for a malformed request body or query. The official document lists its error statuses as
 * 401/403/404/409/422/429 and never 400, so invalid input is 422 (the official error envelope).
 */
export const PRISMA_VALIDATION_STATUS = 422;

export const PRISMA_DIRECT_HOST = 'db.prisma.io';
export const PRISMA_POOLED_HOST = 'pooled.db.prisma.io';
const PG_PORT = 5432;

export interface PrismaSimulatorOptions extends SimulatorOptions {}

export interface PrismaSeedOptions {
  databaseName?: string;
  connectionName?: string;
  /** Reuse a service token the simulator already knows; a new one is minted otherwise. */
  serviceToken?: string;
  status?: DatabaseStatus;
}

export interface PrismaSeed {
  serviceToken: string;
  projectId: string;
  databaseId: string;
  connectionId: string;
  connectionString: string;
}

/** A connection as tests see it: no secrets (so an assertion diff can never print one). */
export interface PrismaConnectionView {
  id: string;
  name: string;
  databaseId: string;
  createdAt: string;
  revoked: boolean;
  revokedAt?: string;
}

export interface PrismaDatabaseView {
  id: string;
  name: string;
  status: DatabaseStatus;
  projectId: string;
  defaultConnectionId: string | null;
}

export interface PrismaSimulator extends Simulator {
  /** Create a project + database with one connection (and a service token unless given one). */
  seed(options?: PrismaSeedOptions): PrismaSeed;
  /** Out-of-band: a connection created as if by someone else (e.g. the console). */
  addConnection(databaseId: string, name?: string): { connectionId: string; connectionString: string };
  addServiceToken(): string;
  revokeServiceToken(token: string): void;
  setDatabaseStatus(databaseId: string, status: DatabaseStatus): void;
  /** The applications' view: would a client connecting with this connection string get in? */
  credentialWorks(connectionString: string): boolean;
  readonly state: {
    database(id: string): PrismaDatabaseView | undefined;
    databases(): PrismaDatabaseView[];
    connection(id: string): PrismaConnectionView | undefined;
    /** Connections of a database (all databases when omitted); revoked ones only with `includeRevoked`. */
    connections(databaseId?: string, options?: { includeRevoked?: boolean }): PrismaConnectionView[];
  };
}

interface Database {
  id: string;
  name: string;
  status: DatabaseStatus;
  createdAt: string;
  projectId: string;
  projectName: string;
  defaultConnectionId: string | null;
}

interface Connection {
  id: string;
  /** Creation order, the pagination key. */
  seq: number;
  name: string;
  databaseId: string;
  createdAt: string;
  user: string;
  password: string;
  revokedAt?: string;
}

export async function startPrismaSimulator(options: PrismaSimulatorOptions = {}): Promise<PrismaSimulator> {
  const random = createRandomSource(options.randomSeed);
  const redactor = new SecretRedactor();
  const audit = new AuditLog();
  const databases = new Map<string, Database>();
  const connections = new Map<string, Connection>();
  const serviceTokens = new Set<string>();
  let connectionSeq = 0;
  let baseUrl = '';

  const cuid = () => `c${random.base36(24)}`;
  const now = () => new Date().toISOString();
  const active = (c: Connection | undefined): c is Connection => c !== undefined && c.revokedAt === undefined;
  const validCredentials = (): CredentialRef[] =>
    [...connections.values()].filter(active).map((c) => ({ kind: 'connection', id: c.id, scope: c.databaseId }));

  const newSecretFor = (c: Pick<Connection, 'user' | 'password'>) => {
    c.user = random.hex(24);
    c.password = `pw_${random.base64url(24)}`;
    redactor.add(c.password);
  };
  const connectionString = (c: Connection, host: string) =>
    `postgres://${c.user}:${c.password}@${host}:${PG_PORT}/postgres?sslmode=require`;

  const createConnection = (databaseId: string, name: string): Connection => {
    const c: Connection = {
      id: `con_${cuid()}`,
      seq: ++connectionSeq,
      name,
      databaseId,
      createdAt: now(),
      user: '',
      password: '',
    };
    newSecretFor(c);
    connections.set(c.id, c);
    return c;
  };

  // ---- JSON shapes (official excerpt) ----
  const dbRef = (db: Database) => ({ id: db.id, url: `${baseUrl}/databases/${db.id}`, name: db.name });
  const connectionJson = (c: Connection) => ({
    id: c.id,
    type: 'connection',
    url: `${baseUrl}/connections/${c.id}`,
    name: c.name,
    createdAt: c.createdAt,
    kind: 'postgres',
    // Listings carry host/port only: the connection string (the secret) is never listed.
    endpoints: {
      direct: { host: PRISMA_DIRECT_HOST, port: PG_PORT },
      pooled: { host: PRISMA_POOLED_HOST, port: PG_PORT },
    },
    database: dbRef(databases.get(c.databaseId)!),
  });
  const connectionWithSecretJson = (c: Connection) => {
    const direct = connectionString(c, PRISMA_DIRECT_HOST);
    return {
      ...connectionJson(c),
      endpoints: {
        direct: { host: PRISMA_DIRECT_HOST, port: PG_PORT, connectionString: direct },
        pooled: { host: PRISMA_POOLED_HOST, port: PG_PORT, connectionString: connectionString(c, PRISMA_POOLED_HOST) },
      },
      connectionString: direct, // deprecated field, still required in the official 200 schema
      host: PRISMA_DIRECT_HOST,
      user: c.user,
      pass: c.password,
    };
  };
  const databaseJson = (db: Database) => ({
    id: db.id,
    type: 'database',
    url: `${baseUrl}/databases/${db.id}`,
    name: db.name,
    status: db.status,
    createdAt: db.createdAt,
    isDefault: true,
    defaultConnectionId: db.defaultConnectionId,
    connections: [...connections.values()].filter((c) => active(c) && c.databaseId === db.id).map(connectionJson),
    project: { id: db.projectId, url: `${baseUrl}/projects/${db.projectId}`, name: db.projectName },
    region: { id: 'us-east-1', name: 'US East (N. Virginia)' },
    source: null,
    branchId: null,
  });

  // ---- errors (official envelope) ----
  const error = (status: number, code: string, message: string, hint?: string): HandlerResult => ({
    response: { status, body: { error: hint === undefined ? { code, message } : { code, message, hint } } },
  });
  const faultBody = (status: number) => {
    const code = status === 429 ? 'RateLimitExceeded' : status >= 500 ? 'InternalServerError' : 'Error';
    return { error: { code, message: `Simulated ${status}.` } };
  };
  const unauthorized = () =>
    error(
      401,
      'Unauthorized',
      'Missing or invalid authorization token.',
      'Send "Authorization: Bearer <service token>".',
    );
  const invalid = (message: string, hint?: string) => error(PRISMA_VALIDATION_STATUS, 'ValidationError', message, hint);

  /** Every route needs a known service token; the handler runs only when it is there. */
  const authed =
    (handler: (req: SimRequest) => HandlerResult): RouteHandler =>
    (req) => {
      const { scheme, credential } = parseAuthorization(req.headers.authorization);
      if (scheme !== 'bearer' || !serviceTokens.has(credential)) return unauthorized();
      return handler(req);
    };
  const findDatabase = (id: string) => databases.get(id);
  const dbNotFound = () => error(404, 'NotFound', 'Database with the given ID was not found.');
  const connNotFound = () => error(404, 'NotFound', 'Connection with the given ID was not found.');

  const encodeCursor = (seq: number) => Buffer.from(`seq:${seq}`).toString('base64url');
  const decodeCursor = (cursor: string): number | undefined => {
    const m = /^seq:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
    return m ? Number(m[1]) : undefined;
  };

  const routes = [
    compileRoute(
      'GET',
      '/v1/databases/:databaseId',
      authed((req) => {
        const db = findDatabase(req.params.databaseId);
        return db ? { response: { status: 200, body: { data: databaseJson(db) } } } : dbNotFound();
      }),
    ),
    compileRoute(
      'GET',
      '/v1/databases/:databaseId/connections',
      authed((req) => {
        const db = findDatabase(req.params.databaseId);
        if (!db) return dbNotFound();
        let limit = 100;
        if (req.query.limit !== undefined) {
          limit = Number(req.query.limit);
          if (!Number.isInteger(limit) || limit < 1) return invalid('limit must be a positive integer.');
        }
        let after = 0;
        if (req.query.cursor) {
          const seq = decodeCursor(req.query.cursor);
          if (seq === undefined) return invalid('cursor is not a cursor this API returned.');
          after = seq;
        }
        const rest = [...connections.values()]
          .filter((c) => active(c) && c.databaseId === db.id && c.seq > after)
          .sort((a, b) => a.seq - b.seq);
        const page = rest.slice(0, limit);
        const hasMore = rest.length > limit;
        return {
          response: {
            status: 200,
            body: {
              data: page.map(connectionJson),
              pagination: { nextCursor: hasMore ? encodeCursor(page[page.length - 1].seq) : null, hasMore },
            },
          },
        };
      }),
    ),
    compileRoute(
      'POST',
      '/v1/databases/:databaseId/connections',
      authed((req) => {
        const db = findDatabase(req.params.databaseId);
        if (!db) return dbNotFound();
        if (req.jsonError) return invalid('Request body is not valid JSON.');
        const body = req.body;
        if (body === null || typeof body !== 'object' || Array.isArray(body))
          return invalid('Request body must be an object.');
        const name = (body as Record<string, unknown>).name;
        if (typeof name !== 'string' || name.length < 3 || name.length > 65)
          return invalid('name is required: a string of 3 to 65 characters.', 'Send {"name": "<3..65 characters>"}.');
        // Other properties (e.g. the seed's `type`) are ignored: the official schema does not forbid them
        // (no additionalProperties: false) and does not define them.
        const c = createConnection(db.id, name);
        return {
          response: { status: 200, body: { data: connectionWithSecretJson(c) } },
          events: [{ type: 'created', kind: 'connection', id: c.id, scope: db.id }],
        };
      }),
    ),
    compileRoute(
      'GET',
      '/v1/connections/:id',
      authed((req) => {
        const c = connections.get(req.params.id);
        return active(c) ? { response: { status: 200, body: { data: connectionJson(c) } } } : connNotFound();
      }),
    ),
    compileRoute(
      'DELETE',
      '/v1/connections/:id',
      authed((req) => {
        const c = connections.get(req.params.id);
        if (!active(c)) return connNotFound();
        c.revokedAt = now();
        const db = databases.get(c.databaseId)!;
        // The official document is silent on what happens to defaultConnectionId; it is nullable, so null.
        if (db.defaultConnectionId === c.id) db.defaultConnectionId = null;
        const events: StateEvent[] = [{ type: 'revoked', kind: 'connection', id: c.id, scope: c.databaseId }];
        return { response: { status: 204 }, events };
      }),
    ),
    compileRoute(
      'POST',
      '/v1/connections/:id/rotate',
      authed((req) => {
        const c = connections.get(req.params.id);
        if (!active(c)) return connNotFound();
        // "Revocation of the previous credentials is best-effort": here it is immediate (the strictest case
        // for a client, which must deploy the new string before anything still uses the old one).
        newSecretFor(c);
        return {
          response: { status: 200, body: { data: connectionWithSecretJson(c) } },
          events: [{ type: 'rotated', kind: 'connection', id: c.id, scope: c.databaseId }],
        };
      }),
    ),
  ];

  const sim = await launchSimulator({
    options,
    contractConfig: OFFICIAL_PRISMA,
    routes,
    unmatched: () => ({ status: 404, body: { error: { code: 'NotFound', message: 'Route not found.' } } }),
    faultBody,
    audit,
    redactor,
    validCredentials,
  });
  baseUrl = sim.baseUrl;

  const seeded = (events: StateEvent[]) => {
    audit.recordState(validCredentials());
    audit.append({ source: 'seed', outcome: 'seeded', faults: [], events, validCredentials: validCredentials() });
  };
  const addServiceToken = () => {
    const token = `prisma_st_${random.base64url(30)}`;
    redactor.add(token);
    serviceTokens.add(token);
    return token;
  };
  const view = (c: Connection): PrismaConnectionView => ({
    id: c.id,
    name: c.name,
    databaseId: c.databaseId,
    createdAt: c.createdAt,
    revoked: c.revokedAt !== undefined,
    ...(c.revokedAt ? { revokedAt: c.revokedAt } : {}),
  });
  const dbView = (d: Database): PrismaDatabaseView => ({
    id: d.id,
    name: d.name,
    status: d.status,
    projectId: d.projectId,
    defaultConnectionId: d.defaultConnectionId,
  });

  return {
    ...sim,
    seed(seedOptions = {}) {
      const token = seedOptions.serviceToken ?? addServiceToken();
      if (!serviceTokens.has(token)) throw new Error('seed: unknown service token');
      const db: Database = {
        id: `db_${cuid()}`,
        name: seedOptions.databaseName ?? 'production',
        status: seedOptions.status ?? 'ready',
        createdAt: now(),
        projectId: `proj_${cuid()}`,
        projectName: 'acme',
        defaultConnectionId: null,
      };
      databases.set(db.id, db);
      const c = createConnection(db.id, seedOptions.connectionName ?? 'initial');
      db.defaultConnectionId = c.id;
      seeded([{ type: 'created', kind: 'connection', id: c.id, scope: db.id }]);
      return {
        serviceToken: token,
        projectId: db.projectId,
        databaseId: db.id,
        connectionId: c.id,
        connectionString: connectionString(c, PRISMA_DIRECT_HOST),
      };
    },
    addConnection(databaseId, name = 'out-of-band') {
      if (!databases.has(databaseId)) throw new Error(`addConnection: unknown database ${databaseId}`);
      const c = createConnection(databaseId, name);
      seeded([{ type: 'created', kind: 'connection', id: c.id, scope: databaseId }]);
      return { connectionId: c.id, connectionString: connectionString(c, PRISMA_DIRECT_HOST) };
    },
    addServiceToken,
    revokeServiceToken(token) {
      serviceTokens.delete(token);
    },
    setDatabaseStatus(databaseId, status) {
      const db = databases.get(databaseId);
      if (!db) throw new Error(`setDatabaseStatus: unknown database ${databaseId}`);
      db.status = status;
    },
    credentialWorks(cs) {
      let url: URL;
      try {
        url = new URL(cs);
      } catch {
        return false;
      }
      if (![PRISMA_DIRECT_HOST, PRISMA_POOLED_HOST].includes(url.hostname)) return false;
      const user = decodeURIComponent(url.username);
      const password = decodeURIComponent(url.password);
      return [...connections.values()].some((c) => active(c) && c.user === user && c.password === password);
    },
    state: {
      database: (id) => {
        const d = databases.get(id);
        return d ? dbView(d) : undefined;
      },
      databases: () => [...databases.values()].map(dbView),
      connection: (id) => {
        const c = connections.get(id);
        return c ? view(c) : undefined;
      },
      connections: (databaseId, opts = {}) =>
        [...connections.values()]
          .filter(
            (c) => (databaseId === undefined || c.databaseId === databaseId) && (opts.includeRevoked || active(c)),
          )
          .sort((a, b) => a.seq - b.seq)
          .map(view),
    },
  };
}
