// Collects the official-contract findings for every response a simulator sends. A simulator started with
// `contractCheck: true` owns one; any test (unit or end-to-end) then asserts `assertNoViolations()`.
import type { Exchange } from './http-server.js';
import type { OfficialContract } from './official-contract.js';

export interface ContractFinding {
  /** Audit-log sequence number of the exchange. */
  seq: number;
  request: string;
  status: number;
  operation?: string;
  message: string;
}

export class ContractRecorder {
  readonly violations: ContractFinding[] = [];
  /** Undeclared-but-documented statuses (e.g. Deepgram 401) and injected faults: reported, not failures. */
  readonly tolerated: ContractFinding[] = [];
  checked = 0;

  constructor(readonly contract: OfficialContract) {}

  readonly hook = (ex: Exchange): void => {
    this.checked++;
    const r = this.contract.check(ex);
    const base = { seq: ex.seq, request: `${ex.method} ${ex.path}`, status: ex.status, operation: r.operation };
    for (const message of r.violations) this.violations.push({ ...base, message });
    for (const message of r.tolerated) this.tolerated.push({ ...base, message });
  };

  assertNoViolations(): void {
    if (this.violations.length === 0) return;
    const lines = this.violations.map((v) => `#${v.seq} ${v.request} -> ${v.status}: ${v.message}`);
    throw new Error(
      `${this.violations.length} response(s) disagree with the ${this.contract.config.name}:\n${lines.join('\n')}`,
    );
  }
}
