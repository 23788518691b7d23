// `approver keygen --name alice [--group security] [--out FILE]`: a key pair for signed approvals. The
// secret key goes to a 0600 file and is never printed; the public line is printed to paste into the
// worker's approval policy (ARAZZO_APPROVAL_POLICY).
import { join } from 'node:path';
import { Command } from 'commander';
import { out, printJson } from '../output.js';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function approverCommand(): Command {
  const approver = new Command('approver').description('approver identities for signed approvals');
  approver
    .command('keygen')
    .description("create an ed25519 key pair; prints the public line for the worker's approval policy")
    .requiredOption('--name <name>', 'the approver, as the policy and the audit trail name them')
    .option('--group <group>', 'a group for the printed policy line (repeatable)', collect, [])
    .option('--out <file>', 'where the secret key goes (default: .secrets/approvers/<name>.key here), mode 0600')
    .option('--json', 'machine-readable output', false)
    .action(async (o: { name: string; group: string[]; out?: string; json: boolean }) => {
      // Loaded on use (the ed25519 code), like every command's heavy dependencies (see program.ts).
      const { createApproverKey, describeKey, policyLine } = await import('../approver-key.js');
      const file = o.out ?? join('.secrets', 'approvers', `${o.name.replace(/[^A-Za-z0-9._-]/g, '_')}.key`);
      const key = await createApproverKey(o.name, file);
      const line = policyLine(key, o.group);
      if (o.json) {
        printJson({ keyFile: file, policyLine: JSON.parse(line) });
        return;
      }
      out(`key of ${describeKey(key)} written to ${file} (mode 0600; keep it to yourself)`);
      out('add this line to "approvers" in the approval policy:');
      out(line);
    });
  return approver;
}
