// What every simulator has besides its API: options, the fault injector over its routes, the audit log, the
// optional official-contract check, and the running server. Prisma and Deepgram only add state and routes.
import type { AuditLog, CredentialRef } from './audit-log.js';
import { ContractRecorder } from './contract-recorder.js';
import { FaultInjector } from './faults.js';
import {
  type ExchangeHook,
  type RouteHandler,
  type SimRequest,
  type SimResponse,
  startSimulatorServer,
} from './http-server.js';
import type { SecretRedactor } from './masking.js';
import { type ContractConfig, loadContract } from './official-contract.js';
import type { CompiledRoute } from './router.js';

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Loopback by default. */
  host?: string;
  /** Fixed seed for ids and secrets, for reproducible runs; random (node:crypto) when absent. */
  randomSeed?: string;
  /**
   * Validate every response against the vendor's OFFICIAL OpenAPI document; findings collect in
   * `sim.contract` (`sim.contract.assertNoViolations()` in an afterEach/afterAll).
   */
  contractCheck?: boolean;
  /** Observe every exchange (raw bytes: do not print them, they can hold the one-time secrets). */
  onExchange?: ExchangeHook;
}

export interface Simulator {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** `url` + `/v1`: what replaces the real server URL (`https://api.<vendor>/v1`). */
  readonly baseUrl: string;
  readonly port: number;
  readonly audit: AuditLog;
  readonly faults: FaultInjector;
  /** Present when started with `contractCheck: true`. */
  readonly contract?: ContractRecorder;
  /** Route keys, e.g. `POST /v1/databases/:databaseId/connections`: the names faults take. */
  readonly routes: readonly string[];
  /** Valid credentials right now, by id. */
  validCredentials(): CredentialRef[];
  close(): Promise<void>;
}

export interface LaunchParams {
  options: SimulatorOptions;
  contractConfig: ContractConfig;
  routes: CompiledRoute<RouteHandler>[];
  unmatched(req: SimRequest): SimResponse;
  faultBody(status: number): unknown;
  audit: AuditLog;
  redactor: SecretRedactor;
  validCredentials(): CredentialRef[];
}

export async function launchSimulator(p: LaunchParams): Promise<Simulator> {
  const faults = new FaultInjector(p.routes.map((r) => r.key));
  const contract = p.options.contractCheck ? new ContractRecorder(await loadContract(p.contractConfig)) : undefined;
  const hooks: ExchangeHook[] = [];
  if (contract) hooks.push(contract.hook);
  if (p.options.onExchange) hooks.push(p.options.onExchange);
  const server = await startSimulatorServer({
    port: p.options.port,
    host: p.options.host,
    routes: p.routes,
    unmatched: p.unmatched,
    faultBody: p.faultBody,
    faults,
    audit: p.audit,
    redactor: p.redactor,
    validCredentials: p.validCredentials,
    hooks,
  });
  return {
    url: server.url,
    baseUrl: `${server.url}/v1`,
    port: server.port,
    audit: p.audit,
    faults,
    contract,
    routes: p.routes.map((r) => r.key),
    validCredentials: p.validCredentials,
    close: () => server.close(),
  };
}

/** The value of `Authorization` split into scheme and credential (scheme compared case-insensitively). */
export function parseAuthorization(header: string | string[] | undefined): { scheme: string; credential: string } {
  const value = (Array.isArray(header) ? header[0] : header)?.trim() ?? '';
  const space = value.indexOf(' ');
  if (space < 0) return { scheme: '', credential: value };
  return { scheme: value.slice(0, space).toLowerCase(), credential: value.slice(space + 1).trim() };
}
